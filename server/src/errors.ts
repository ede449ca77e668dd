import type { ErrorCode } from './contract.ts'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  414: 'URI Too Long',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error'
}

/**
 * The one error type routes and the scheduler throw. `app.onError` turns it into the JSON error
 * body of DESIGN.md; `retryAfterMs` becomes a `Retry-After` header (whole seconds, rounded up).
 */
export class ApiError extends Error {
  readonly code: ErrorCode | (string & {})
  readonly status: number
  readonly details: string
  readonly retryAfterMs: number | undefined

  constructor(
    code: ErrorCode | (string & {}),
    status: number,
    details: string,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(details, { cause: options.cause })
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.details = details
    this.retryAfterMs = options.retryAfterMs
  }
}
