import { type Lead, type LeadEnrichment, parseBatchId } from '../contract.ts'
import type { Transport, UpstreamReply } from './transport.ts'
import { UpstreamError, type WoodpeckerClient } from './types.ts'

export interface WoodpeckerClientDeps {
  /** Without a trailing slash, e.g. `https://api.woodpecker.co/rest`. */
  baseUrl: string
  apiKey: string
  /** undiciTransport() live; fromFetch(…) over the in-process simulator (transport.ts). */
  transport: Transport
  /** Must exceed Woodpecker's 15 s queue wait, or queued requests are abandoned (config.ts). */
  timeoutMs: number
  /** Clock for `Retry-After` dates. */
  now?: () => number
}

export const ENRICHMENT_PATH = '/v2/lead_finder/leads/enrichments/'
/** A batch holds at most 50 leads; anything far past that is not the documented answer. */
export const MAX_LEADS = 1000
const MAX_BODY_BYTES = 1024 * 1024
const MAX_ERROR_BODY_BYTES = 64 * 1024
const MAX_RETRY_AFTER_MS = 10 * 60_000
const MAX_DETAILS_CHARS = 300
const MAX_FIELD_CHARS = 512

const KEY_REJECTED = /invalid api key|no api addon|upgrade your plan/i

export function createWoodpeckerClient(deps: WoodpeckerClientDeps): WoodpeckerClient {
  const now = deps.now ?? Date.now

  async function getEnrichment(uuid: string): Promise<LeadEnrichment> {
    const id = parseBatchId(uuid)
    // The routes validate already; checking again here keeps any other caller from steering the
    // upstream URL.
    if (id === null) throw new TypeError('getEnrichment needs a canonical UUID')

    const deadline = AbortSignal.timeout(deps.timeoutMs)
    let response: UpstreamReply
    try {
      response = await untilAborted(
        deps.transport(`${deps.baseUrl}${ENRICHMENT_PATH}${id}`, {
          headers: { 'x-api-key': deps.apiKey, accept: 'application/json' },
          signal: deadline,
        }),
        deadline,
      )
    } catch (error) {
      throw transportError(error, deadline)
    }

    const status = response.status
    if (status >= 200 && status < 300) {
      let text: string
      try {
        const body = await untilAborted(response.read(MAX_BODY_BYTES), deadline)
        if (body.over) {
          throw new UpstreamError(
            'upstream_bad_response',
            `Woodpecker answered 200 with a body over ${MAX_BODY_BYTES} bytes`,
            { upstreamStatus: status },
          )
        }
        text = body.text
      } catch (error) {
        if (error instanceof UpstreamError) throw error
        throw transportError(error, deadline)
      }
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch (error) {
        throw new UpstreamError('upstream_bad_response', 'Woodpecker answered 200 without JSON', {
          upstreamStatus: status,
          cause: error,
        })
      }
      const enrichment = parseLeadEnrichment(json)
      if (enrichment.uuid.toLowerCase() !== id) {
        throw new UpstreamError(
          'upstream_bad_response',
          'Woodpecker answered with a different batch than the one asked for',
          { upstreamStatus: status },
        )
      }
      return enrichment
    }

    // Error bodies only inform the mapping: a long one is cut (enough to find an error code in
    // it), one that cannot be read is treated as empty.
    const body = await untilAborted(response.read(MAX_ERROR_BODY_BYTES), deadline).then(
      (read) => read.text,
      () => '',
    )
    throw errorFor(response, body, { apiKey: deps.apiKey, now: now() })
  }

  return { getEnrichment }
}

/**
 * Validates the documented 200 body by hand and keeps only its documented fields. Enums stay
 * open: an unknown status or result passes as a string.
 */
export function parseLeadEnrichment(json: unknown): LeadEnrichment {
  const enrichment = isRecord(json) ? json.lead_enrichment : undefined
  if (!isRecord(enrichment)) return badShape('lead_enrichment is not an object')
  const { uuid, created, leads } = enrichment
  if (!isShortString(uuid)) return badShape('lead_enrichment.uuid is not a string')
  if (!isShortString(created)) return badShape('lead_enrichment.created is not a string')
  if (!Array.isArray(leads)) return badShape('lead_enrichment.leads is not an array')
  if (leads.length > MAX_LEADS) return badShape(`lead_enrichment.leads has over ${MAX_LEADS} items`)

  const parsed: Lead[] = []
  for (const [index, lead] of leads.entries()) {
    if (!isRecord(lead)) return badShape(`leads[${index}] is not an object`)
    const { uid, status, processing_result: result } = lead
    if (!isShortString(uid)) return badShape(`leads[${index}].uid is not a string`)
    if (!isShortString(status)) return badShape(`leads[${index}].status is not a string`)
    if (result !== null && !isShortString(result)) {
      return badShape(`leads[${index}].processing_result is not a string or null`)
    }
    parsed.push({ uid, status, processing_result: result })
  }
  return { uuid, created, leads: parsed }
}

function badShape(reason: string): never {
  throw new UpstreamError('upstream_bad_response', `Woodpecker answered 200 but ${reason}`, {
    upstreamStatus: 200,
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_FIELD_CHARS
}

function errorFor(
  response: UpstreamReply,
  body: string,
  context: { apiKey: string; now: number },
): UpstreamError {
  const status = response.status
  const said = upstreamDetails(body)
  const details = clean(
    said === undefined ? `Woodpecker answered ${status}` : `Woodpecker answered ${status}: ${said}`,
    context.apiKey,
  )
  const options = { upstreamStatus: status }

  if (status >= 300 && status < 400) {
    return new UpstreamError(
      'upstream_error',
      `Woodpecker answered with a redirect (${status})`,
      options,
    )
  }
  if (status === 0) {
    return new UpstreamError('upstream_error', 'Woodpecker answered with a redirect', options)
  }
  if (status === 404) return new UpstreamError('not_found', details, options)
  if (status === 429 || (status === 400 && body.includes('E_TOO_MANY_REQUESTS'))) {
    const retryAfterMs = parseRetryAfter(response.header('retry-after'), context.now)
    return new UpstreamError('upstream_throttled', details, { ...options, retryAfterMs })
  }
  if (status === 401 || status === 403 || (status === 400 && KEY_REJECTED.test(said ?? ''))) {
    return new UpstreamError('upstream_unauthorized', details, options)
  }
  return new UpstreamError('upstream_error', details, options)
}

/** Woodpecker's `details`, or `detail` on other v2 pages; undefined for HTML, junk or nothing. */
function upstreamDetails(body: string): string | undefined {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return undefined
  }
  if (!isRecord(json)) return undefined
  const said = json.details ?? json.detail
  if (typeof said === 'string' && said.trim() !== '') return said
  return undefined
}

/** One short printable line with the key masked: details travel on to browsers and logs. */
function clean(text: string, apiKey: string): string {
  let line = text.replace(/\p{Cc}+/gu, ' ')
  if (apiKey !== '') line = line.split(apiKey).join('[redacted]')
  return line.length > MAX_DETAILS_CHARS ? `${line.slice(0, MAX_DETAILS_CHARS)}…` : line
}

/** `Retry-After` as delay seconds or an HTTP date; anything else is ignored. Capped. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  let ms: number
  if (/^\d{1,10}$/.test(text)) {
    ms = Number(text) * 1000
  } else if (/^[A-Za-z]{3},? .*\d{2}:\d{2}:\d{2}( GMT)?$/.test(text) && /\d{4}/.test(text)) {
    const at = Date.parse(text)
    if (Number.isNaN(at)) return undefined
    ms = Math.max(0, at - now)
  } else {
    return undefined
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS)
}

function transportError(error: unknown, deadline: AbortSignal): UpstreamError {
  if (deadline.aborted) {
    return new UpstreamError('upstream_timeout', 'Woodpecker did not answer in time', {
      cause: error,
    })
  }
  const code = causeCode(error)
  const details = code ? `Could not reach Woodpecker (${code})` : 'Could not reach Woodpecker'
  return new UpstreamError('upstream_error', details, { cause: error })
}

function causeCode(error: unknown): string | undefined {
  // undici's `request` rejects with the system error itself; `fetch` wraps it as the cause.
  const own = isRecord(error) ? error.code : undefined
  const cause = error instanceof Error ? error.cause : undefined
  const code = typeof own === 'string' ? own : isRecord(cause) ? cause.code : undefined
  // Only an errno-style name: messages of network errors can quote header values.
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : undefined
}

/** Settles with `work`, or rejects once `signal` aborts, whichever comes first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {})
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    function onAbort(): void {
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
