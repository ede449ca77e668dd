import type { EnrichmentResponse, ErrorCode, LeadEnrichment } from '../contract.ts'

/**
 * Why an upstream call failed, already mapped to the error codes of DESIGN.md.
 * - `not_found`: Woodpecker does not know the batch for this key (404).
 * - `upstream_unauthorized`: the key was rejected (401, or 400/403 saying so).
 * - `upstream_throttled`: 429, a 400 carrying E_TOO_MANY_REQUESTS; `retryAfterMs` when the
 *   upstream said so.
 * - `upstream_timeout`: no answer within the deadline.
 * - `upstream_error`: 5xx, redirect, reset, refused connection, any other status.
 * - `upstream_bad_response`: 200 whose body is not the documented shape.
 */
export type UpstreamErrorCode = Extract<
  ErrorCode,
  | 'not_found'
  | 'upstream_unauthorized'
  | 'upstream_throttled'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'upstream_bad_response'
>

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode
  /** The upstream HTTP status, when there was one. */
  readonly upstreamStatus: number | undefined
  readonly retryAfterMs: number | undefined
  readonly details: string

  constructor(
    code: UpstreamErrorCode,
    details: string,
    options: { upstreamStatus?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(details, { cause: options.cause })
    this.name = 'UpstreamError'
    this.code = code
    this.details = details
    this.upstreamStatus = options.upstreamStatus
    this.retryAfterMs = options.retryAfterMs
  }
}

/** The Woodpecker client: one GET. Resolves with the validated batch or rejects with UpstreamError. */
export interface WoodpeckerClient {
  getEnrichment(uuid: string): Promise<LeadEnrichment>
}

/**
 * How a request was answered, for the request log: `fresh` waited for an upstream call of its
 * own, `shared` joined a call others were waiting for, `cached` got a snapshot at once, `stale`
 * got the last good snapshot after an upstream failure.
 */
export interface ServeInfo {
  served: 'fresh' | 'shared' | 'cached' | 'stale'
  /** Duration of the upstream call the request waited for; null when it waited for none. */
  upstreamMs: number | null
}

export interface GetOptions {
  /**
   * The viewer asked for current data (a "refresh now": `Cache-Control: no-cache`). A snapshot
   * older than the reuse time is then not answered at once; the request waits for its refresh,
   * which it shares with everyone else waiting.
   */
  revalidate?: boolean
  /** Told how the request was answered, for the request log. */
  onServed?: (info: ServeInfo) => void
}

/** What the routes call: the scheduler in front of the client. Rejects with ApiError. */
export interface EnrichmentSource {
  get(uuid: string, options?: GetOptions): EnrichmentResponse | Promise<EnrichmentResponse>
}
