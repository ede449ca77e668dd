import { existsSync } from 'node:fs'
import type { HttpBindings } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { basicAuth } from 'hono/basic-auth'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from './config.ts'
import {
  type ApiErrorBody,
  type DemoBatch,
  type HealthResponse,
  type LeadEnrichment,
  parseBatchId,
} from './contract.ts'
import { ApiError, titleFor } from './errors.ts'
import { createLogger, type Logger } from './logger.ts'
import { createRateLimiter } from './rate-limit.ts'
import {
  type EnrichmentSource,
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
 * Longer request targets are refused before any routing: no legitimate URL here comes close.
 * Shorter nonsense under /api/enrichments still gets its 400 invalid_uuid.
 */
export const MAX_URL_LENGTH = 8_192

/**
 * Set on every response before the handler runs, so the handler builds its response with them
 * in one go; setting headers after `next()` would make Node's adapter rebuild every response.
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

/** Every /api answer: never cached by the browser or a proxy, the same security headers. */
const API_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Cache-Control': 'no-store',
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

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { config, enrichments } = deps
  const staticRoot = deps.staticRoot ?? config.staticDir
  const apiKey = config.apiKey
  const logger =
    deps.logger ??
    createLogger({ level: config.logLevel, secrets: [apiKey, config.access?.password] })
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

  const app = new Hono<AppEnv>()

  // One middleware in front of everything (each extra one costs the hottest route measurably):
  // cheap refusals first — odd methods and absurd URLs cost no routing, no auth, no upstream —
  // then, for the API, one log line per request once it is answered.
  app.use(async (c, next) => {
    const api = isApi(c)
    // API answers carry them in one plain object instead (API_HEADERS): see the enrichment route.
    if (!api) for (const name in SECURITY_HEADERS) c.header(name, SECURITY_HEADERS[name])
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const details = `${c.req.method} is not supported here; the API is read-only`
      if (api) return errorResponse(c, 405, 'method_not_allowed', details, { Allow: 'GET' })
      return c.text('Method Not Allowed', 405, { Allow: 'GET' })
    }
    if (c.req.url.length > MAX_URL_LENGTH) {
      if (api) return errorResponse(c, 414, 'uri_too_long', 'The URL is too long')
      return c.text('URI Too Long', 414)
    }
    if (!api || !logger.enabled('info')) return next()
    const started = performance.now()
    await next()
    const served = c.get('served')
    const ms = (performance.now() - started).toFixed(1)
    const upstream = served?.upstreamMs == null ? '-' : `${Math.round(served.upstreamMs)}ms`
    logger.info(
      `${c.req.method} ${c.req.path} ${c.res.status} ${ms}ms served=${served?.served ?? '-'} upstream=${upstream}`,
    )
  })

  if (config.access) {
    const { user, password } = config.access
    // Hono's basicAuth compares hashed credentials in constant time.
    const auth = basicAuth({
      username: user,
      password,
      realm: 'Enrichment Watch',
      invalidUserMessage: (c: Context) =>
        isApi(c)
          ? errorBodyFor(401, 'unauthorized', 'Sign in to use Enrichment Watch')
          : 'Unauthorized',
    })
    // Health stays open for load balancers and uptime checks; it tells nothing but status and mode.
    app.use((c, next) => (c.req.path === '/api/health' ? next() : auth(c, next)))
  }

  if (limiter) {
    app.use('/api/*', async (c, next) => {
      if (c.req.path === '/api/health') return next()
      const decision = limiter.take(clientAddress(c, config.trustProxy))
      if (!decision.ok) {
        throw new ApiError('rate_limited', 429, 'Too many requests from this client; slow down', {
          retryAfterMs: decision.retryAfterMs,
        })
      }
      await next()
    })
  }

  app.get('/api/health', (c) => {
    const body: HealthResponse = { status: 'ok', mode: config.mode }
    // Health is the one route open without a password, so then it says nothing more.
    if (config.mode === 'demo' && !config.access) body.demo_batches = deps.demoBatches ?? []
    return c.json(body, 200, API_HEADERS)
  })

  app.get('/api/enrichments/*', async (c) => {
    // The raw path, still percent-encoded: `%2F`, `%3F` or `%2e` must never decode into
    // something that steers the upstream URL.
    const pathname = pathOf(c.req.url)
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
    const response = await enrichments.get(uuid, {
      // "Refresh now" in the page: wait for current data rather than take the last snapshot.
      revalidate: /no-cache|max-age=0/i.test(header(c, 'cache-control')),
      onServed: (info) => c.set('served', info),
    })
    // The hottest route: the batch's JSON is made once per snapshot, and a plain header object
    // keeps Node's adapter on its fast path (no Headers instance, no rebuilt Response).
    const body = `{"lead_enrichment":${serialized(response.lead_enrichment)},"meta":${JSON.stringify(response.meta)}}`
    return new Response(body, { status: 200, headers: API_JSON_HEADERS })
  })

  app.get('/api/*', (c) => errorResponse(c, 404, 'not_found', `No API route ${c.req.path}`))

  const files = lazyStatic({ root: staticRoot })
  const index = lazyStatic({ root: staticRoot, path: 'index.html' })

  app.get('/assets/*', async (c) => {
    const found = await files(c)
    if (!found) return c.text('Not found', 404)
    // Vite puts a content hash in every file name under assets/: a changed file is a new URL.
    found.headers.set('Cache-Control', IMMUTABLE)
    return found
  })

  app.get('*', async (c) => {
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
  })

  app.notFound((c) => {
    if (isApi(c)) return errorResponse(c, 404, 'not_found', `No API route ${c.req.path}`)
    return c.text('Not found', 404)
  })

  app.onError((error, c) => {
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
    return c.text('Internal Server Error', 500)
  })

  return app
}

/** A snapshot's batch is the same object until the next refresh: serialise it once. */
const serializedBatches = new WeakMap<LeadEnrichment, string>()

function serialized(batch: LeadEnrichment): string {
  let json = serializedBatches.get(batch)
  if (json === undefined) {
    json = JSON.stringify(batch)
    serializedBatches.set(batch, json)
  }
  return json
}

/**
 * A request header, read from Node's own request when there is one: building the Fetch API's
 * Headers for the hottest route would cost more than everything else it does.
 */
function header(c: Context<AppEnv>, name: string): string {
  const raw = c.env?.incoming?.headers[name]
  if (raw !== undefined) return Array.isArray(raw) ? raw.join(', ') : raw
  return c.req.header(name) ?? ''
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

/** The path of an absolute URL, still percent-encoded (cheaper than `new URL` on every poll). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return '/'
  let end = url.length
  for (const mark of ['?', '#']) {
    const at = url.indexOf(mark, start)
    if (at >= 0 && at < end) end = at
  }
  return url.slice(start, end)
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
