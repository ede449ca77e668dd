import { ApiError, parseRetryAfter } from './api-error'

/**
 * GET a JSON endpoint of our own server. Throws `ApiError` for any non-2xx answer (parsing the
 * error body defensively: it may be ours, Woodpecker-shaped, HTML from a proxy, or empty) and
 * for a server that cannot be reached (`code: 'network'`).
 */
export async function fetchJson<T>(
  path: string,
  {
    signal,
    headers = {},
    fetchImpl = fetch,
  }: { signal?: AbortSignal; headers?: Record<string, string>; fetchImpl?: typeof fetch } = {},
): Promise<T> {
  let res: Response
  try {
    res = await fetchImpl(path, { signal, headers: { accept: 'application/json', ...headers } })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError({
      status: 0,
      code: 'network',
      details: error instanceof Error ? error.message : 'The server could not be reached.',
    })
  }

  if (!res.ok) {
    const text = await res.text().catch(() => '')
    const body = parseErrorBody(text)
    throw new ApiError({
      status: res.status,
      code: body.code ?? codeForStatus(res.status),
      details: body.details ?? (res.statusText || `HTTP ${res.status}`),
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
    })
  }

  try {
    return (await res.json()) as T
  } catch {
    throw new ApiError({
      status: res.status,
      code: 'bad_response',
      details: 'The server answered with something that is not JSON.',
    })
  }
}

function parseErrorBody(text: string): { code?: string; details?: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return {}
  }
  if (typeof parsed !== 'object' || parsed === null) return {}
  const record = parsed as Record<string, unknown>
  const details = [record.details, record.detail, record.title].find(
    (value): value is string => typeof value === 'string' && value !== '',
  )
  return {
    code: typeof record.code === 'string' && record.code !== '' ? record.code : undefined,
    details,
  }
}

/** When a proxy in front of the server answers instead of the server itself. */
function codeForStatus(status: number): string {
  if (status === 404) return 'not_found'
  if (status === 503) return 'busy'
  if (status === 504) return 'upstream_timeout'
  if (status >= 500) return 'upstream_error'
  return 'unknown'
}
