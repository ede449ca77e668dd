import { existsSync } from 'node:fs'
import { serveStatic } from '@hono/node-server/serve-static'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from './config.ts'
import { type ApiErrorBody, type DemoBatch, type HealthResponse, parseBatchId } from './contract.ts'
import { ApiError, titleFor } from './errors.ts'
import { type EnrichmentSource, UpstreamError, type UpstreamErrorCode } from './upstream/types.ts'

export interface AppDeps {
  config: Config
  enrichments: EnrichmentSource
  /** Demo mode: the batches /api/health offers a newcomer. */
  demoBatches?: DemoBatch[]
  /** The built SPA; defaults to `config.staticDir`. */
  staticRoot?: string
  /** Where unexpected errors are reported; the key is masked before it is called. */
  logError?: (message: string) => void
}

const ENRICHMENTS_PREFIX = '/api/enrichments/'
const IMMUTABLE = 'public, max-age=31536000, immutable'

const UPSTREAM_STATUS: Record<UpstreamErrorCode, number> = {
  not_found: 404,
  upstream_unauthorized: 502,
  upstream_throttled: 503,
  upstream_timeout: 504,
  upstream_error: 502,
  upstream_bad_response: 502,
}

export function createApp(deps: AppDeps): Hono {
  const { config, enrichments } = deps
  const staticRoot = deps.staticRoot ?? config.staticDir
  const apiKey = config.apiKey
  const logError = deps.logError ?? ((message: string) => console.error(message))

  /** Defence in depth: whatever reaches a response or a log line passes through here. */
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
    const body: ApiErrorBody = {
      title: titleFor(status),
      status,
      details: mask(details),
      timestamp: new Date().toISOString(),
      code,
    }
    return c.json(body, status as ContentfulStatusCode, { 'Cache-Control': 'no-store', ...headers })
  }

  function retryAfter(ms: number | undefined): Record<string, string> {
    return ms === undefined ? {} : { 'Retry-After': String(Math.max(0, Math.ceil(ms / 1000))) }
  }

  const app = new Hono()

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  )

  app.use('/api/*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })

  app.get('/api/health', (c) => {
    const body: HealthResponse = { status: 'ok', mode: config.mode }
    if (config.mode === 'demo') body.demo_batches = deps.demoBatches ?? []
    return c.json(body)
  })

  app.get('/api/enrichments/*', async (c) => {
    // The raw path, still percent-encoded: `%2F`, `%3F` or `%2e` must never decode into
    // something that steers the upstream URL.
    const pathname = new URL(c.req.url).pathname
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
    return c.json(await enrichments.get(uuid))
  })

  app.all('/api/*', (c) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      return errorResponse(c, 404, 'not_found', `No API route ${c.req.path}`)
    }
    return errorResponse(
      c,
      405,
      'method_not_allowed',
      `${c.req.method} is not supported here; the API is read-only`,
      { Allow: 'GET' },
    )
  })

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
    logError(mask(`Unexpected error on ${c.req.method} ${c.req.path}: ${describe(error)}`))
    if (isApi(c)) {
      return errorResponse(c, 500, 'internal_error', 'Something went wrong on the server')
    }
    return c.text('Internal Server Error', 500)
  })

  return app
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
