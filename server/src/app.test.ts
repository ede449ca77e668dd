import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from './app.ts'
import { loadConfig } from './config.ts'
import type { ApiErrorBody, EnrichmentResponse, HealthResponse } from './contract.ts'
import { ApiError } from './errors.ts'
import { createLogger } from './logger.ts'
import { DEMO_BATCHES } from './simulator/demo-batches.ts'
import { createSimulator, type Fault } from './simulator/simulator.ts'
import { createScheduler, type Scheduler, type SchedulerSettings } from './upstream/scheduler.ts'
import { fromFetch } from './upstream/transport.ts'
import { type EnrichmentSource, UpstreamError } from './upstream/types.ts'
import { createWoodpeckerClient } from './upstream/woodpecker-client.ts'

const KEY = 'wp-key-5e1b7c0d9a'
const UUID = '088e2d8a-d8ac-41fc-969f-0ba4102682ac'

let staticRoot: string
const schedulers: Scheduler[] = []

beforeAll(() => {
  staticRoot = mkdtempSync(join(tmpdir(), 'enrichment-watch-static-'))
  mkdirSync(join(staticRoot, 'assets'))
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>Enrichment Watch</title>')
  writeFileSync(join(staticRoot, 'assets', 'index-3f9a1c.js'), 'console.log("app")')
  writeFileSync(join(staticRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
})

afterAll(() => {
  rmSync(staticRoot, { recursive: true, force: true })
})

afterEach(() => {
  for (const scheduler of schedulers.splice(0)) scheduler.close()
})

/** The real chain: simulator → client → scheduler → app. */
function setup(
  options: { clientKey?: string; timeoutMs?: number; settings?: Partial<SchedulerSettings> } = {},
) {
  const sim = createSimulator({ apiKey: KEY, latencyMs: 0 })
  const config = loadConfig({
    WOODPECKER_API_KEY: KEY,
    WOODPECKER_BASE_URL: 'http://sim.test/rest',
    LOG_LEVEL: 'warn',
  })
  const client = createWoodpeckerClient({
    baseUrl: config.baseUrl,
    apiKey: options.clientKey ?? KEY,
    transport: fromFetch(sim.fetch),
    timeoutMs: options.timeoutMs ?? config.upstreamTimeoutMs,
  })
  const scheduler = createScheduler({
    client,
    settings: { ...config.scheduler, minGapMs: 0, ...options.settings },
    mode: config.mode,
  })
  schedulers.push(scheduler)
  const app = createApp({ config, enrichments: scheduler, staticRoot })
  return { sim, app, scheduler }
}

/** An app over a hand-written source, for errors the real chain does not produce on demand. */
function stubApp(get: EnrichmentSource['get'], env: Record<string, string> = {}) {
  const logged: string[] = []
  const config = loadConfig({ WOODPECKER_API_KEY: KEY, ...env })
  const app = createApp({
    config,
    enrichments: { get },
    staticRoot,
    logger: createLogger({ level: 'info', write: (_level, line) => logged.push(line) }),
  })
  return { app, logged }
}

async function errorBody(response: Response): Promise<ApiErrorBody> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  return (await response.json()) as ApiErrorBody
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  const body = await errorBody(response)
  expect(body).toMatchObject({ status, code })
  expect(typeof body.title).toBe('string')
  expect(typeof body.details).toBe('string')
  expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp)
  expect(response.headers.get('cache-control')).toBe('no-store')
  return body
}

function everything(response: Response, body: string): string {
  return `${JSON.stringify([...response.headers])}\n${body}`
}

describe('GET /api/enrichments/:uuid', () => {
  test('returns the batch with freshness facts and asks upstream once', async () => {
    const { sim, app } = setup()
    const uuid = sim.addBatch({ leads: 4, mode: 'manual' })
    sim.flip(uuid, 4)

    const response = await app.request(`/api/enrichments/${uuid}`)

    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as EnrichmentResponse
    expect(body.lead_enrichment.uuid).toBe(uuid)
    expect(body.lead_enrichment.leads).toHaveLength(4)
    expect(body.meta).toMatchObject({ stale: false, error: null, complete: true, mode: 'live' })
    expect(body.meta.next_poll_ms).toBeGreaterThan(0)
    expect(sim.stats().log.map((entry) => entry.path)).toEqual([
      `/rest/v2/lead_finder/leads/enrichments/${uuid}`,
    ])
  })

  test('a poll that a snapshot can answer is answered in the same tick, with the same body', async () => {
    const { sim, app } = setup()
    const uuid = sim.addBatch({ leads: 3, complete: true })
    const first = await app.request(`/api/enrichments/${uuid}`)

    // The hottest path: no promise, so Node's adapter writes it at once (decision 005).
    const answer = app.request(`/api/enrichments/${uuid}`)

    expect(answer).toBeInstanceOf(Response)
    const again = await answer
    expect(again.status).toBe(200)
    expect(again.headers.get('content-type')).toBe('application/json')
    const [before, after] = [await first.json(), await again.json()] as EnrichmentResponse[]
    expect(after?.lead_enrichment).toEqual(before?.lead_enrichment)
    expect(after?.meta.fetched_at).toBe(before?.meta.fetched_at)
    expect(sim.stats().requests).toBe(1)
  })

  test('an upper-case uuid is accepted and requested upstream in lower case', async () => {
    const { sim, app } = setup()
    sim.addBatch({ uuid: UUID, leads: 1 })

    const response = await app.request(`/api/enrichments/${UUID.toUpperCase()}`)

    expect(response.status).toBe(200)
    expect(sim.stats().log[0]?.path).toBe(`/rest/v2/lead_finder/leads/enrichments/${UUID}`)
  })

  test('no browser header reaches the upstream', async () => {
    const { sim, app } = setup()
    const uuid = sim.addBatch({ leads: 1 })

    const response = await app.request(`/api/enrichments/${uuid}`, {
      headers: {
        'x-company-id': '4242',
        cookie: 'session=abc',
        authorization: 'Bearer browser-token',
        'x-forwarded-for': '203.0.113.9',
        'x-api-key': 'browser-supplied-key',
        'user-agent': 'Mozilla/5.0',
        accept: 'text/html',
      },
    })

    expect(response.status).toBe(200)
    const log = sim.stats().log
    expect(log).toHaveLength(1)
    expect(log[0]?.headers).toEqual({ 'x-api-key': KEY, accept: 'application/json' })
  })

  test('Cache-Control: no-cache from the browser waits for current data; a plain poll does not', async () => {
    const { sim, app } = setup({ settings: { freshMs: 0 } })
    const uuid = sim.addBatch({ leads: 2, mode: 'manual' })
    await app.request(`/api/enrichments/${uuid}`)
    sim.flip(uuid, 2)

    const plain = (await (
      await app.request(`/api/enrichments/${uuid}`)
    ).json()) as EnrichmentResponse
    const current = (await (
      await app.request(`/api/enrichments/${uuid}`, { headers: { 'cache-control': 'no-cache' } })
    ).json()) as EnrichmentResponse

    expect(plain.meta.complete).toBe(false)
    expect(current.meta.complete).toBe(true)
    // The header itself never travels upstream.
    expect(sim.stats().log.every((request) => !('cache-control' in request.headers))).toBe(true)
  })

  test('identical concurrent requests cost one upstream call', async () => {
    const { sim, app } = setup()
    const uuid = sim.addBatch({ leads: 3 })
    sim.setFault({ kind: 'latency', ms: 20 })

    const responses = await Promise.all(
      Array.from({ length: 8 }, () => app.request(`/api/enrichments/${uuid}`)),
    )

    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200))
    const bodies = await Promise.all(
      responses.map(
        async (response) => ((await response.json()) as EnrichmentResponse).lead_enrichment,
      ),
    )
    for (const body of bodies) expect(body).toEqual(bodies[0])
    expect(sim.stats().requests).toBe(1)
  })

  test.each(
    [
      '..%2F..%2Fv1%2Fme',
      '%2e%2e%2fv1%2fme',
      `${UUID}%2Fextra`,
      `${UUID}%2F..%2F..%2Fv1%2Fme`,
      `${UUID}%3Fx=1`,
      `${UUID}%23top`,
      `${UUID}/extra`,
      `${UUID}/`,
      `${UUID}.json`,
      '...',
      `%20${UUID}`,
      `${UUID}%20`,
      `${UUID}%09`,
      `${UUID}%00`,
      `%30${UUID.slice(1)}`,
      `${UUID.slice(0, -1)}\u0441`,
      `${UUID.slice(0, -1)}\uff10`,
      `{${UUID}}`,
      UUID.replaceAll('-', ''),
      `${UUID}0`,
      UUID.slice(0, -1),
      'x'.repeat(5000),
      `${UUID}${'0'.repeat(5000)}`,
      'me',
      '',
    ].map((id) => [id.length > 60 ? `${id.slice(0, 40)}… (${id.length} characters)` : id, id]),
  )('returns 400 invalid_uuid and makes no upstream call for %j', async (_label, id) => {
    const { sim, app } = setup()
    sim.addBatch({ uuid: UUID, leads: 1 })

    const response = await app.request(`/api/enrichments/${id}`)

    await expectError(response, 400, 'invalid_uuid')
    expect(sim.stats().requests).toBe(0)
  })

  test('a path that normalises out of the route reaches no upstream either', async () => {
    const { sim, app } = setup()
    for (const path of ['/api/enrichments/../../v1/me', '/api/enrichments/%2e%2e/%2e%2e/v1/me']) {
      const response = await app.request(path)
      expect(response.headers.get('content-type')).not.toMatch(/json/)
      expect(response.status).toBe(200) // the SPA's index.html for an unknown client route
    }
    expect(sim.stats().requests).toBe(0)
  })
})

describe('upstream failures become the documented error codes', () => {
  test('an unknown batch is 404 not_found', async () => {
    const { sim, app } = setup()
    await expectError(await app.request(`/api/enrichments/${UUID}`), 404, 'not_found')
    expect(sim.stats().requests).toBe(1)
  })

  test('a key Woodpecker rejects is 502 upstream_unauthorized', async () => {
    const { sim, app } = setup({ clientKey: 'revoked-key-1234' })
    const uuid = sim.addBatch()
    const response = await app.request(`/api/enrichments/${uuid}`)
    await expectError(response, 502, 'upstream_unauthorized')
    expect(sim.stats().log[0]?.headers['x-api-key']).toBe('revoked-key-1234')
  })

  const faults: Array<[Fault, number, string]> = [
    [{ kind: 'unauthorized' }, 502, 'upstream_unauthorized'],
    [{ kind: 'throttled_429', retryAfterS: 7 }, 503, 'upstream_throttled'],
    [{ kind: 'throttled_429' }, 503, 'upstream_throttled'],
    [{ kind: 'throttled_400' }, 503, 'upstream_throttled'],
    [{ kind: 'error_500' }, 502, 'upstream_error'],
    [{ kind: 'html_502' }, 502, 'upstream_error'],
    [{ kind: 'reset' }, 502, 'upstream_error'],
    [{ kind: 'malformed_json' }, 502, 'upstream_bad_response'],
    [{ kind: 'wrong_shape' }, 502, 'upstream_bad_response'],
  ]

  test.each(faults)('%j is %i %s', async (fault, status, code) => {
    const { sim, app } = setup()
    const uuid = sim.addBatch()
    sim.setFault(fault)

    const response = await app.request(`/api/enrichments/${uuid}`)

    await expectError(response, status, code)
    expect(sim.stats().requests).toBe(1)
    if (code === 'upstream_throttled') {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    }
  })

  test('a throttle with Retry-After is passed on to the browser', async () => {
    const { sim, app } = setup()
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'throttled_429', retryAfterS: 7 })

    const response = await app.request(`/api/enrichments/${uuid}`)

    expect(response.headers.get('retry-after')).toBe('7')
  })

  test('a hanging upstream is 504 upstream_timeout', async () => {
    const { sim, app } = setup({ timeoutMs: 50 })
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'hang' })

    await expectError(await app.request(`/api/enrichments/${uuid}`), 504, 'upstream_timeout')
    expect(sim.stats().requests).toBe(1)
  })

  test('past the queue limit new batches get 503 busy with Retry-After', async () => {
    const { sim, app } = setup({ settings: { queueLimit: 1 } })
    const uuids = [sim.addBatch(), sim.addBatch(), sim.addBatch()]
    sim.setFault({ kind: 'latency', ms: 20 })

    const responses = await Promise.all(
      uuids.map((uuid) => app.request(`/api/enrichments/${uuid}`)),
    )

    expect(responses[0]?.status).toBe(200)
    expect(responses[1]?.status).toBe(200)
    const busy = responses[2]
    if (!busy) throw new Error('missing response')
    await expectError(busy, 503, 'busy')
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(sim.stats().byBatch[uuids[2] ?? '']).toBeUndefined()
    expect(sim.stats().requests).toBe(2)
  })
})

describe('the error path', () => {
  test('Retry-After is the delay in whole seconds, rounded up', async () => {
    const { app } = stubApp(async () => {
      throw new ApiError('busy', 503, 'Busy', { retryAfterMs: 1_500 })
    })
    const response = await app.request(`/api/enrichments/${UUID}`)
    await expectError(response, 503, 'busy')
    expect(response.headers.get('retry-after')).toBe('2')
  })

  test('an UpstreamError that reaches the app keeps its code and status', async () => {
    const { app } = stubApp(async () => {
      throw new UpstreamError('upstream_timeout', 'Woodpecker did not answer in time')
    })
    await expectError(await app.request(`/api/enrichments/${UUID}`), 504, 'upstream_timeout')
  })

  test('an unexpected error is 500 internal_error, logged without the key', async () => {
    const { app, logged } = stubApp(async () => {
      throw new Error(`boom while using ${KEY}`)
    })

    const response = await app.request(`/api/enrichments/${UUID}`)

    const body = await expectError(response, 500, 'internal_error')
    expect(body.details).not.toContain('boom')
    const errors = logged.filter((line) => line.includes(' error '))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('boom')
    expect(logged.join('\n')).not.toContain(KEY)
  })

  test('error details that quote the key are masked', async () => {
    const { app } = stubApp(async () => {
      throw new ApiError('upstream_error', 502, `upstream said ${KEY}`)
    })
    const response = await app.request(`/api/enrichments/${UUID}`)
    const text = await response.text()
    expect(response.status).toBe(502)
    expect(everything(response, text)).not.toContain(KEY)
  })

  test('an unknown /api route is 404 not_found', async () => {
    const { sim, app } = setup()
    for (const path of ['/api', '/api/', '/api/nope', '/api/v2/lead_finder/leads/enrichments']) {
      await expectError(await app.request(path), 404, 'not_found')
    }
    expect(sim.stats().requests).toBe(0)
  })

  test.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    '%s under /api is 405 method_not_allowed with Allow: GET',
    async (method) => {
      const { sim, app } = setup()
      const uuid = sim.addBatch()
      for (const path of [`/api/enrichments/${uuid}`, '/api/health', '/api/other']) {
        const response = await app.request(path, { method })
        await expectError(response, 405, 'method_not_allowed')
        expect(response.headers.get('allow')).toBe('GET')
      }
      expect(sim.stats().requests).toBe(0)
    },
  )
})

describe('GET /api/health', () => {
  test('live mode reports its mode and nothing about the key', async () => {
    const { app } = setup()
    const response = await app.request('/api/health')
    const text = await response.text()
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(JSON.parse(text)).toEqual({ status: 'ok', mode: 'live' })
    expect(everything(response, text)).not.toContain(KEY)
  })

  test('demo mode lists the demo batches', async () => {
    const app = createApp({
      config: loadConfig({}),
      enrichments: { get: () => Promise.reject(new Error('unused')) },
      demoBatches: DEMO_BATCHES,
      staticRoot,
    })
    const body = (await (await app.request('/api/health')).json()) as HealthResponse
    expect(body.mode).toBe('demo')
    expect(body.demo_batches?.map((batch) => batch.uuid)).toEqual(
      DEMO_BATCHES.map((batch) => batch.uuid),
    )
  })
})

test('the key appears in no response body or header', async () => {
  const { sim, app } = setup()
  const uuid = sim.addBatch({ leads: 2 })
  const paths = [
    `/api/enrichments/${uuid}`,
    `/api/enrichments/${UUID}`,
    '/api/enrichments/..%2Fv1%2Fme',
    '/api/health',
    '/api/nope',
    '/',
    `/batches/${uuid}`,
    '/assets/index-3f9a1c.js',
  ]
  for (const path of paths) {
    const response = await app.request(path)
    expect(everything(response, await response.text())).not.toContain(KEY)
  }
  sim.setFault({ kind: 'error_500' })
  const failed = await app.request(`/api/enrichments/${sim.addBatch()}`)
  expect(everything(failed, await failed.text())).not.toContain(KEY)
})

describe('the SPA', () => {
  test('client routes get index.html, revalidated on every load', async () => {
    const { sim, app } = setup()
    for (const path of ['/', `/batches/${UUID}?status=PENDING&sort=uid`, '/some/deep/route']) {
      const response = await app.request(path)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(response.headers.get('cache-control')).toBe('no-cache')
      expect(await response.text()).toContain('<title>Enrichment Watch</title>')
    }
    expect(sim.stats().requests).toBe(0)
  })

  test('hashed assets are cached immutably', async () => {
    const { app } = setup()
    const response = await app.request('/assets/index-3f9a1c.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/javascript/)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await response.text()).toBe('console.log("app")')
  })

  test('a missing asset is 404, not index.html', async () => {
    const { app } = setup()
    const response = await app.request('/assets/index-000000.js')
    expect(response.status).toBe(404)
    expect(response.headers.get('cache-control') ?? '').not.toContain('immutable')
    expect(await response.text()).not.toContain('<title>')
  })

  test('other files in the build are served as they are', async () => {
    const { app } = setup()
    const response = await app.request('/favicon.svg')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    expect(response.headers.get('cache-control')).toBe('no-cache')
  })

  test('without a build, pages answer 503 saying how to build', async () => {
    const app = createApp({
      config: loadConfig({}),
      enrichments: { get: () => Promise.reject(new Error('unused')) },
      staticRoot: join(staticRoot, 'does-not-exist'),
    })
    const response = await app.request('/batches/x')
    expect(response.status).toBe(503)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await response.text()).toContain('pnpm build')
  })

  test('security headers are on pages and API answers alike', async () => {
    const { app, sim } = setup()
    const batch = `/api/enrichments/${sim.addBatch({ leads: 2 })}`
    for (const path of [
      '/',
      '/assets/index-3f9a1c.js',
      '/api/health',
      '/api/enrichments/x',
      batch,
    ]) {
      const response = await app.request(path)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      if (path.startsWith('/api')) {
        // JSON: nothing to run, nothing to keep.
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(response.headers.get('content-security-policy')).toBe(
          "default-src 'none'; frame-ancestors 'none'",
        )
      } else {
        expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
        expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      }
    }
  })
})
