import { request } from 'undici'

// How the Woodpecker client sends its one GET. Live mode uses undici's `request`, the Node
// team's HTTP client without the Fetch API's objects and streams, which costs the server about
// a third less per upstream call than `fetch` (docs/decisions/006-undici-request-upstream.md).
// Demo mode and tests go through `fromFetch`: the in-process simulator speaks the Fetch API.

/** An upstream answer as the client reads it. Redirects are never followed. */
export interface UpstreamReply {
  /** The HTTP status; 0 for a redirect the Fetch API hides (`opaqueredirect`). */
  status: number
  header(name: string): string | null
  /**
   * At most `limit` bytes of the body as UTF-8 text; `over` when the body was longer. Whatever
   * was not read is discarded, so the connection is free again.
   */
  read(limit: number): Promise<{ text: string; over: boolean }>
}

export interface TransportRequest {
  headers: Record<string, string>
  signal: AbortSignal
}

export type Transport = (url: string, init: TransportRequest) => Promise<UpstreamReply>

export type Fetch = (input: string, init: RequestInit) => Promise<Response>

/** Live: undici's `request` over its global keep-alive pool. */
export function undiciTransport(): Transport {
  return async (url, { headers, signal }) => {
    const {
      statusCode,
      headers: received,
      body,
    } = await request(url, {
      method: 'GET',
      headers,
      signal,
    })
    return {
      status: statusCode,
      header(name) {
        const value = received[name.toLowerCase()]
        return Array.isArray(value) ? value.join(', ') : (value ?? null)
      },
      read: (limit) => readUpTo(body, limit),
    }
  }
}

/** Any Fetch API implementation: the in-process simulator of demo mode, tests. */
export function fromFetch(fetch: Fetch): Transport {
  return async (url, { headers, signal }) => {
    const response = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal })
    return {
      status: response.type === 'opaqueredirect' ? 0 : response.status,
      header: (name) => response.headers.get(name),
      read: async (limit) =>
        response.body === null ? { text: '', over: false } : readUpTo(response.body, limit),
    }
  }
}

/**
 * Reads chunks until the body ends or passes `limit` bytes. Leaving the loop early cancels the
 * rest of the body (a Node stream is destroyed, a web stream cancelled), so the connection is
 * not left half-read.
 */
async function readUpTo(body: AsyncIterable<Uint8Array>, limit: number) {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.byteLength
    if (size > limit) break
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit)
  return { text: bytes.toString('utf8'), over: size > limit }
}
