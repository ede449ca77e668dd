import { expect, test } from 'vitest'
import { createApp, MAX_URL_LENGTH } from './app.ts'
import { loadConfig } from './config.ts'
import type { ApiErrorBody, HealthResponse } from './contract.ts'
import { createLogger } from './logger.ts'
import { DEMO_BATCHES } from './simulator/demo-batches.ts'
import { createSimulator } from './simulator/simulator.ts'
import { createScheduler } from './upstream/scheduler.ts'
import { fromFetch } from './upstream/transport.ts'
import { createWoodpeckerClient } from './upstream/woodpecker-client.ts'

// Access control, abuse limits and the request log, through the real chain:
// simulator → client → scheduler → app.

const KEY = 'wp-key-guards-81f3'
const PASSWORD = 'correct horse battery staple'

function setup(env: Record<string, string> = {}) {
  const sim = createSimulator({ apiKey: KEY, latencyMs: 0 })
  const config = loadConfig({
    WOODPECKER_API_KEY: KEY,
    WOODPECKER_BASE_URL: 'http://sim.test/rest',
    ...env,
  })
  const client = createWoodpeckerClient({
    baseUrl: config.baseUrl,
    apiKey: KEY,
    transport: fromFetch(sim.fetch),
    timeoutMs: config.upstreamTimeoutMs,
  })
  const scheduler = createScheduler({
    client,
    settings: { ...config.scheduler, minGapMs: 0 },
    mode: config.mode,
  })
  const lines: string[] = []
  const logger = createLogger({
    level: config.logLevel,
    secrets: [KEY, config.access?.password],
    write: (_level, line) => lines.push(line),
  })
  const app = createApp({ config, enrichments: scheduler, logger, demoBatches: DEMO_BATCHES })
  return { sim, app, lines, close: () => scheduler.close() }
}

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
}

test('with DASHBOARD_PASSWORD set, an API request without credentials is 401 and reaches no upstream', async () => {
  const { sim, app, close } = setup({ DASHBOARD_PASSWORD: PASSWORD })
  const uuid = sim.addBatch({ leads: 2 })

  const response = await app.request(`/api/enrichments/${uuid}`)

  expect(response.status).toBe(401)
  expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="Enrichment Watch"/)
  expect(((await response.json()) as ApiErrorBody).code).toBe('unauthorized')
  expect(sim.stats().requests).toBe(0)
  close()
})

test('with DASHBOARD_PASSWORD set, pages need credentials too, and a wrong password is refused', async () => {
  const { app, close } = setup({ DASHBOARD_PASSWORD: PASSWORD, DASHBOARD_USER: 'sales' })

  expect((await app.request('/')).status).toBe(401)
  expect((await app.request('/batches/x', { headers: basic('sales', 'guess') })).status).toBe(401)
  expect((await app.request('/', { headers: basic('ops', PASSWORD) })).status).toBe(401)
  expect((await app.request('/', { headers: basic('sales', PASSWORD) })).status).not.toBe(401)
  close()
})

test('the right credentials get the batch', async () => {
  const { sim, app, close } = setup({ DASHBOARD_PASSWORD: PASSWORD })
  const uuid = sim.addBatch({ leads: 2 })

  const response = await app.request(`/api/enrichments/${uuid}`, {
    headers: basic('ops', PASSWORD),
  })

  expect(response.status).toBe(200)
  expect(sim.stats().requests).toBe(1)
  close()
})

test('/api/health answers without credentials and then says only status and mode', async () => {
  const { app, close } = setup({ DASHBOARD_PASSWORD: PASSWORD, WOODPECKER_API_KEY: '' })

  const response = await app.request('/api/health')

  expect(response.status).toBe(200)
  expect((await response.json()) as HealthResponse).toEqual({ status: 'ok', mode: 'demo' })
  close()
})

test('past its burst a client gets 429 rate_limited with Retry-After, and no upstream call', async () => {
  const { sim, app, close } = setup({ RATE_LIMIT_PER_MIN: '60', RATE_LIMIT_BURST: '3' })
  const uuid = sim.addBatch({ leads: 2, complete: true })

  const statuses: number[] = []
  for (let i = 0; i < 4; i++) statuses.push((await app.request(`/api/enrichments/${uuid}`)).status)
  const limited = await app.request(`/api/enrichments/${uuid}`)

  expect(statuses).toEqual([200, 200, 200, 429])
  expect(limited.status).toBe(429)
  expect(limited.headers.get('retry-after')).toBe('1')
  expect(((await limited.json()) as ApiErrorBody).code).toBe('rate_limited')
  // The first request fetched the complete batch; the limited ones cost the upstream nothing.
  expect(sim.stats().requests).toBe(1)
  close()
})

test('behind a trusted proxy each forwarded client has its own limit', async () => {
  const { sim, app, close } = setup({
    RATE_LIMIT_PER_MIN: '60',
    RATE_LIMIT_BURST: '1',
    TRUST_PROXY: 'true',
  })
  const uuid = sim.addBatch({ leads: 2, complete: true })
  const from = (address: string) => ({ headers: { 'x-forwarded-for': `203.0.113.9, ${address}` } })

  expect((await app.request(`/api/enrichments/${uuid}`, from('10.0.0.1'))).status).toBe(200)
  expect((await app.request(`/api/enrichments/${uuid}`, from('10.0.0.1'))).status).toBe(429)
  expect((await app.request(`/api/enrichments/${uuid}`, from('10.0.0.2'))).status).toBe(200)
  close()
})

test('/api/health is never rate limited', async () => {
  const { app, close } = setup({ RATE_LIMIT_PER_MIN: '60', RATE_LIMIT_BURST: '1' })
  const statuses = await Promise.all(
    Array.from({ length: 5 }, async () => (await app.request('/api/health')).status),
  )
  expect(statuses).toEqual([200, 200, 200, 200, 200])
  close()
})

test('methods other than GET and HEAD are 405 everywhere, in the error dialect under /api', async () => {
  const { sim, app, close } = setup()
  const uuid = sim.addBatch({ leads: 2 })

  const api = await app.request(`/api/enrichments/${uuid}`, { method: 'POST' })
  const page = await app.request('/', { method: 'DELETE' })

  expect(api.status).toBe(405)
  expect(api.headers.get('allow')).toBe('GET')
  expect(((await api.json()) as ApiErrorBody).code).toBe('method_not_allowed')
  expect(page.status).toBe(405)
  expect(sim.stats().requests).toBe(0)
  close()
})

test('a URL longer than the limit is 414 before any work', async () => {
  const { sim, app, close } = setup()
  const long = `/api/enrichments/${'a'.repeat(MAX_URL_LENGTH)}`

  const response = await app.request(long)

  expect(response.status).toBe(414)
  expect(((await response.json()) as ApiErrorBody).code).toBe('uri_too_long')
  expect(sim.stats().requests).toBe(0)
  close()
})

test('every API request is logged once with status, duration and how it was served', async () => {
  const { sim, app, lines, close } = setup()
  const uuid = sim.addBatch({ leads: 2, complete: true })

  await app.request(`/api/enrichments/${uuid}`)
  await app.request(`/api/enrichments/${uuid}`)
  await app.request('/api/enrichments/not-a-uuid')

  expect(lines).toHaveLength(3)
  expect(lines[0]).toMatch(
    new RegExp(`info GET /api/enrichments/${uuid} 200 [\\d.]+ms served=fresh upstream=\\d+ms$`),
  )
  expect(lines[1]).toMatch(/ 200 [\d.]+ms served=cached upstream=-$/)
  expect(lines[2]).toMatch(/GET \/api\/enrichments\/not-a-uuid 400 [\d.]+ms served=- upstream=-$/)
  close()
})

test('a stale answer is logged as stale', async () => {
  const { sim, app, lines, close } = setup({ CACHE_FRESH_MS: '0', BACKOFF_BASE_MS: '1' })
  const uuid = sim.addBatch({ leads: 2, mode: 'manual' })
  await app.request(`/api/enrichments/${uuid}`)
  sim.setFault({ kind: 'error_500' })

  // The first poll after the fault answers at once and starts the refresh; once that refresh has
  // failed, the snapshot is served stale.
  await app.request(`/api/enrichments/${uuid}`)
  await new Promise((resolve) => setTimeout(resolve, 20))
  const response = await app.request(`/api/enrichments/${uuid}`)

  expect(((await response.json()) as { meta: { stale: boolean } }).meta.stale).toBe(true)
  expect(lines.at(-1)).toMatch(/ 200 [\d.]+ms served=stale upstream=-$/)
  close()
})

test('LOG_LEVEL=warn keeps request lines out of the log', async () => {
  const { sim, app, lines, close } = setup({ LOG_LEVEL: 'warn' })
  await app.request(`/api/enrichments/${sim.addBatch({ leads: 2 })}`)
  expect(lines).toEqual([])
  close()
})

test('the key never reaches a log line', async () => {
  const { app, lines, close } = setup({ DASHBOARD_PASSWORD: PASSWORD })
  // A caller who pastes the key where a batch id goes still does not get it into the log.
  await app.request(`/api/enrichments/${KEY}`, { headers: basic('ops', PASSWORD) })
  await app.request(`/api/enrichments/x?${PASSWORD.replaceAll(' ', '')}`)
  expect(lines).toHaveLength(2)
  expect(lines[0]).toContain('[redacted]')
  expect(lines.join('\n')).not.toContain(KEY)
  close()
})
