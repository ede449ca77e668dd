import type { ErrorCode } from '@enrichment-watch/server/contract'

/** Every code the browser can see: the server's codes plus a failure to reach the server at all. */
export type ClientErrorCode = ErrorCode | 'network' | 'unknown' | (string & {})

export class ApiError extends Error {
  readonly status: number
  readonly code: ClientErrorCode
  /** From `Retry-After`, when the server sent one. */
  readonly retryAfterMs: number | null
  readonly details: string

  constructor(init: {
    status: number
    code: ClientErrorCode
    details: string
    retryAfterMs?: number | null
  }) {
    super(`${init.status} ${init.code}: ${init.details}`)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.details = init.details
    this.retryAfterMs = init.retryAfterMs ?? null
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}

/** 4xx answers do not change by asking again (a 408/429 would, but the server never sends them). */
export function isPermanent(error: unknown): boolean {
  return isApiError(error) && error.status >= 400 && error.status < 500
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return null
  return Math.max(0, date - now)
}
