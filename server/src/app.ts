import { existsSync } from 'node:fs'
import type { HttpBindings } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { basicAuth } from 'hono/basic-auth'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { renderBody } from './batch-body.ts'
import type { Config } from './config.ts'
import {
  type ApiErrorBody,
  type DemoBatch,
  type EnrichmentResponse,
  type HealthResponse,
  parseBatchId,
} from './contract.ts'
import { ApiError, titleFor } from './errors.ts'
import { createLogger, type Logger } from './logger.ts'
import { createRateLimiter } from './rate-limit.ts'
import {
  type EnrichmentSource,
  type GetOptions,
  type ServeInfo,
  UpstreamError,
  type UpstreamErrorCode,
} from './upstream/types.ts'

export interface AppDeps {
  config: Config
  enrichments: EnrichmentSource
  /** Demo mode: the batches /api/health offers a newcomer. */
  demoBatches?: DemoBatch[]
  /** The built SPA; defaults to `config.staticDir`. */
  staticRoot?: string
  /** Request lines and unexpected errors; defaults to one at `config.logLevel`. */
  logger?: Logger
}

const ENRICHMENTS_PREFIX = '/api/enrichments/'
const IMMUTABLE = 'public, max-age=31536000, immutable'
/**
 * Longer request targets are refused before credentials, rate limit or any work: no legitimate URL
 * here comes close.
 * Shorter nonsense under /api/enrichments still gets its 400 invalid_uuid.
 */
export const MAX_URL_LENGTH = 8_192

/**
 * Every page and asset answer (`page()` below); API answers carry API_HEADERS instead. Added to
 * the finished response, which makes Node's adapter build a full Response: fine for pages, which
 * are few, and the reason the hot API route builds its response with its headers in one go.
 * No inline script or style anywhere: the built SPA is files only. `data:` images are the
 * progress favicon the page draws.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
}

/**
 * Every /api answer: JSON that no browser or proxy keeps, nothing to run, frame or embed from
 * another origin (OWASP's headers for an API). The page-only ones above mean nothing on JSON, and
 * HSTS is learnt from the pages of the same host. Every header is work on every poll.
 */
const API_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
}
const API_JSON_HEADERS: Readonly<Record<string, string>> = {
  ...API_HEADERS,
  'Content-Type': 'application/json',
}

const UPSTREAM_STATUS: Record<UpstreamErrorCode, number> = {
  not_found: 404,
  upstream_unauthorized: 502,
  upstream_throttled: 503,
  upstream_timeout: 504,
  upstream_error: 502,
  upstream_bad_response: 502,
}

export type AppEnv = { Bindings: HttpBindings; Variables: { served: ServeInfo } }

type Handler = (c: Context<AppEnv>) => Response | Promise<Response>

const NO_OPTIONS: GetOptions = {}
const REVALIDATE: GetOptions = { revalidate: true }

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { config, enrichments } = deps
  const staticRoot = deps.staticRoot ?? config.staticDir
  const apiKey = config.apiKey
  const logger =
    deps.logger ??
    createLogger({ level: config.logLevel, secrets: [apiKey, config.access?.password] })
  const logRequests = logger.enabled('info')
  const limiter = config.rateLimit ? createRateLimiter(config.rateLimit) : null

  /** Defence in depth: whatever reaches a response passes through here. */
  function mask(text: string): string {
    return apiKey ? text.split(apiKey).join('[redacted]') : text
  }

  function errorResponse(
    c: Context,
    status: number,
    code: string,
    details: string,
    headers: Record<string, string> = {},
  ): Response {
    return c.json(errorBodyFor(status, code, mask(details)), status as ContentfulStatusCode, {
      ...API_HEADERS,
      ...headers,
    })
  }

  function retryAfter(ms: number | undefined): Record<string, string> {
    return ms === undefined ? {} : { 'Retry-After': String(Math.max(0, Math.ceil(ms / 1000))) }
  }

  /** Hono's basicAuth compares hashed credentials in constant time. */
  const auth = config.access
    ? basicAuth({
        username: config.access.user,
        password: config.access.password,
        realm: 'Enrichment Watch',
        invalidUserMessage: (c: Context) =>
          isApi(c)
            ? errorBodyFor(401, 'unauthorized', 'Sign in to use Enrichment Watch')
            : 'Unauthorized',
      })
    : null
  const authorize = (c: Context<AppEnv>) => auth?.(c, async () => {})

  // No middleware: every request matches at most one handler, and what a middleware chain would
  // do happens in `api` and `page` below. A chain makes every answer asynchronous, and the
  // cache-hit poll, the hottest path by far, can otherwise be answered in the same tick
  // (docs/decisions/005-one-handler-per-request.md).

  /**
   * An API route: the URL guard, then (unless `open`) credentials and the rate limit, then the
   * handler; one log line once it is answered. Synchronous whenever the handler is and no
   * password is set.
   */
  function api(handler: Handler, { open = false } = {}): Handler {
    const limited: Handler =
      open || !limiter
        ? handler
        : (c) => {
            limit(c)
            return handler(c)
          }
    const guarded: Handler =
      open || !auth
        ? limited
        : async (c) => {
            await authorize(c)
            return limited(c)
          }
    return (c) => {
      if (targetOf(c).length > MAX_URL_LENGTH) {
        return errorResponse(c, 414, 'uri_too_long', 'The URL is too long')
      }
      const started = logRequests ? performance.now() : 0
      let response: Response | Promise<Response>
      try {
        response = guarded(c)
      } catch (error) {
        response = handleError(error, c)
      }
      if (response instanceof Promise) {
        response = response.catch((error: unknown) => handleError(error, c))
        return logRequests ? response.then((res) => logRequest(c, res, started)) : response
      }
      return logRequests ? logRequest(c, response, started) : response
    }
  }

  function limit(c: Context<AppEnv>): void {
    const decision = limiter?.take(clientAddress(c, config.trustProxy))
    if (decision && !decision.ok) {
      throw new ApiError('rate_limited', 429, 'Too many requests from this client; slow down', {
        retryAfterMs: decision.retryAfterMs,
      })
    }
  }

  function logRequest(c: Context<AppEnv>, response: Response, started: number): Response {
    const served = c.get('served')
    const ms = (performance.now() - started).toFixed(1)
    const upstream = served?.upstreamMs == null ? '-' : `${Math.round(served.upstreamMs)}ms`
    logger.info(
      `${c.req.method} ${c.req.path} ${response.status} ${ms}ms served=${served?.served ?? '-'} upstream=${upstream}`,
    )
    return response
  }

  /** A page or asset: the URL guard, credentials, then the handler, with the security headers. */
  function page(handler: Handler): Handler {
    return async (c) => {
      if (targetOf(c).length > MAX_URL_LENGTH) {
        return withSecurityHeaders(c.text('URI Too Long', 414))
      }
      let response: Response
      try {
        await authorize(c)
        response = await handler(c)
      } catch (error) {
        response = await handleError(error, c)
      }
      return withSecurityHeaders(response)
    }
  }

  const app = new Hono<AppEnv>()

  // Health stays open for load balancers and uptime checks; it tells nothing but status and mode.
  app.get(
    '/api/health',
    api(
      (c) => {
        const body: HealthResponse = { status: 'ok', mode: config.mode }
        if (config.mode === 'demo' && !config.access) body.demo_batches = deps.demoBatches ?? []
        return c.json(body, 200, API_HEADERS)
      },
      { open: true },
    ),
  )

  app.get(
    '/api/enrichments/*',
    api((c) => {
      // The raw path, still percent-encoded: `%2F`, `%3F` or `%2e` must never decode into
      // something that steers the upstream URL.
      const pathname = pathOf(targetOf(c))
      const raw = pathname.startsWith(ENRICHMENTS_PREFIX)
        ? pathname.slice(ENRICHMENTS_PREFIX.length)
        : ''
      const uuid = parseBatchId(raw)
      if (uuid === null) {
        throw new ApiError(
          'invalid_uuid',
          400,
          'The batch id must be a UUID like 088e2d8a-d8ac-41fc-969f-0ba4102682ac',
        )
      }
      // "Refresh now" in the page: wait for current data rather than take the last snapshot.
      const revalidate = /no-cache|max-age=0/i.test(header(c, 'cache-control'))
      const options = logRequests
        ? { revalidate, onServed: (info: ServeInfo) => c.set('served', info) }
        : revalidate
          ? REVALIDATE
          : NO_OPTIONS
      const answer = enrichments.get(uuid, options)
      // A snapshot that can be answered now is answered in this tick.
      return answer instanceof Promise ? answer.then(batchResponse) : batchResponse(answer)
    }),
  )

  const files = lazyStatic({ root: staticRoot })
  const index = lazyStatic({ root: staticRoot, path: 'index.html' })

  app.get(
    '/assets/*',
    page(async (c) => {
      const found = await files(c)
      if (!found) return c.text('Not found', 404)
      // Vite puts a content hash in every file name under assets/: a changed file is a new URL.
      found.headers.set('Cache-Control', IMMUTABLE)
      return found
    }),
  )

  /** Any other path: an unknown API route, a file of the build, or the SPA's own routes. */
  const fallback = {
    api: api((c) => errorResponse(c, 404, 'not_found', `No API route ${c.req.path}`)),
    page: page(async (c) => {
      const found = (await files(c)) ?? (await index(c))
      if (!found) {
        return c.text(
          'The web app is not built yet: run `pnpm build` (or `pnpm start`), then reload.\n',
          503,
          { 'Cache-Control': 'no-store' },
        )
      }
      // index.html names the hashed assets of the current build, so it must be revalidated.
      found.headers.set('Cache-Control', 'no-cache')
      return found
    }),
  }

  // Also where every method but GET and HEAD ends up: no route takes one. Refused before any
  // credentials, rate limit or upstream.
  app.notFound((c) => {
    const api = isApi(c)
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const details = `${c.req.method} is not supported here; the API is read-only`
      if (api) return errorResponse(c, 405, 'method_not_allowed', details, { Allow: 'GET' })
      return withSecurityHeaders(c.text('Method Not Allowed', 405, { Allow: 'GET' }))
    }
    return api ? fallback.api(c) : fallback.page(c)
  })

  function handleError(error: unknown, c: Context<AppEnv>): Response | Promise<Response> {
    // basicAuth's refusal carries its own response (401 with WWW-Authenticate).
    if (error instanceof HTTPException) return error.getResponse()
    if (error instanceof ApiError) {
      return errorResponse(
        c,
        error.status,
        error.code,
        error.details,
        retryAfter(error.retryAfterMs),
      )
    }
    if (error instanceof UpstreamError) {
      return errorResponse(
        c,
        UPSTREAM_STATUS[error.code],
        error.code,
        error.details,
        retryAfter(error.retryAfterMs),
      )
    }
    logger.error(mask(`Unexpected error on ${c.req.method} ${c.req.path}: ${describe(error)}`))
    if (isApi(c)) {
      return errorResponse(c, 500, 'internal_error', 'Something went wrong on the server')
    }
    return withSecurityHeaders(c.text('Internal Server Error', 500))
  }

  app.onError((error, c) => handleError(error, c))

  return app
}

/** The hottest answer: its body made mostly of bytes rendered once per snapshot, one header set. */
function batchResponse(response: EnrichmentResponse): Response {
  return new Response(renderBody(response), { status: 200, headers: API_JSON_HEADERS })
}

function withSecurityHeaders(response: Response): Response {
  for (const name in SECURITY_HEADERS) response.headers.set(name, SECURITY_HEADERS[name] ?? '')
  return response
}

/**
 * A request header (`name` in lower case), read from Node's own request when there is one:
 * building the Fetch API's Headers for the hottest route would cost more than everything else it
 * does.
 */
function header(c: Context<AppEnv>, name: string): string {
  const incoming = c.env?.incoming
  if (!incoming) return c.req.header(name) ?? ''
  const raw = incoming.headers[name]
  return raw === undefined ? '' : Array.isArray(raw) ? raw.join(', ') : raw
}

function errorBodyFor(status: number, code: string, details: string): ApiErrorBody {
  return { title: titleFor(status), status, details, timestamp: new Date().toISOString(), code }
}

/**
 * Whom the rate limit counts. Behind a reverse proxy every request comes from the proxy, so with
 * TRUST_PROXY the last X-Forwarded-For entry (the one the proxy added) names the client.
 */
function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim()
    if (forwarded) return forwarded
  }
  return c.env?.incoming?.socket?.remoteAddress ?? 'unknown'
}

/**
 * The request target (path and query), still percent-encoded: Node's own `req.url` when there is
 * one, which spares the hottest route Hono's request object; else cut from the absolute URL.
 */
function targetOf(c: Context<AppEnv>): string {
  const target = c.env?.incoming?.url
  if (target?.startsWith('/')) return target
  const url = c.req.url
  const start = url.indexOf('/', url.indexOf('//') + 2)
  return start < 0 ? '/' : url.slice(start)
}

/** The path of a request target, without query or fragment. */
function pathOf(target: string): string {
  const query = target.indexOf('?')
  const hash = target.indexOf('#')
  const end = query < 0 ? hash : hash < 0 ? query : Math.min(query, hash)
  return end < 0 ? target : target.slice(0, end)
}

function isApi(c: Context): boolean {
  return c.req.path === '/api' || c.req.path.startsWith('/api/')
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`
  return String(error)
}

/**
 * serveStatic as a lookup: the file's response, or undefined when there is none. Created on first
 * use, so a server started before `pnpm build` picks the build up without a restart.
 */
function lazyStatic(options: {
  root: string
  path?: string
}): (c: Context) => Promise<Response | undefined> {
  let handler: MiddlewareHandler | undefined
  return async (c) => {
    if (!handler) {
      if (!existsSync(options.root)) return undefined
      handler = serveStatic(options)
    }
    const result = await handler(c, async () => {})
    return result instanceof Response ? result : undefined
  }
}
