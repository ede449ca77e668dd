import { afterEach, expect, test, vi } from 'vitest'
import {
  createSimulator,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
} from './simulator.ts'

const KEY = 'test-key'
const BASE = 'http://sim.test/rest/v2/lead_finder/leads/enrichments'
const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/
const UNKNOWN = '088e2d8a-d8ac-41fc-969f-0ba4102682ac'

function setup(options: Partial<SimulatorOptions> = {}): Simulator {
  return createSimulator({ apiKey: KEY, latencyMs: 0, ...options })
}

function get(sim: Simulator, uuid: string, init: RequestInit = {}): Promise<Response> {
  const headers = { 'x-api-key': KEY, ...(init.headers as Record<string, string>) }
  return sim.fetch(`${BASE}/${uuid}`, { ...init, headers })
}

async function leadsOf(sim: Simulator, uuid: string) {
  const res = await get(sim, uuid)
  expect(res.status).toBe(200)
  const body = (await res.json()) as {
    lead_enrichment: {
      leads: Array<{ uid: string; status: string; processing_result: string | null }>
    }
  }
  return body.lead_enrichment.leads
}

interface Enrichment {
  lead_enrichment: {
    uuid: string
    created: string
    leads: Array<{ uid: string; status: string; processing_result: string | null }>
  }
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T
}

function processedCount(leads: Array<{ status: string }>): number {
  return leads.filter((lead) => lead.status !== 'PENDING').length
}

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-05-01T08:00:00Z')) {
  let time = start
  return { now: () => time, advance: (ms: number) => (time += ms) }
}

afterEach(() => {
  vi.useRealTimers()
})

// --- Shapes -----------------------------------------------------------------------------------

test('answers a batch in the documented 200 shape, pending leads with a null result', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 3, mode: 'manual' })
  const res = await get(sim, uuid)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = await json<Enrichment>(res)
  expect(Object.keys(body)).toEqual(['lead_enrichment'])
  expect(Object.keys(body.lead_enrichment)).toEqual(['uuid', 'created', 'leads'])
  expect(body.lead_enrichment.uuid).toBe(uuid)
  expect(body.lead_enrichment.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+|-)\d\d:\d\d$/)
  const prefix = (body.lead_enrichment.leads[0]?.uid ?? '').replace(/_0000$/, '')
  expect(body.lead_enrichment.leads).toEqual([
    { uid: `${prefix}_0000`, status: 'PENDING', processing_result: null },
    { uid: `${prefix}_0001`, status: 'PENDING', processing_result: null },
    { uid: `${prefix}_0002`, status: 'PENDING', processing_result: null },
  ])
})

test('created is the creation time with an offset, and the same batch always looks the same', async () => {
  const clock = manualClock(Date.parse('2026-05-01T08:00:00Z'))
  const a = setup({ now: clock.now })
  const b = setup({ now: clock.now })
  a.addBatch({ uuid: UNKNOWN, leads: 4 })
  b.addBatch({ uuid: UNKNOWN, leads: 4 })
  const bodyA = await json<Enrichment>(await get(a, UNKNOWN))
  const bodyB = await (await get(b, UNKNOWN)).json()
  expect(bodyA).toEqual(bodyB)
  expect(Date.parse(bodyA.lead_enrichment.created)).toBe(Date.parse('2026-05-01T08:00:00Z'))
})

test('uid prefixes vary in length from batch to batch, like Woodpecker’s', async () => {
  const sim = setup()
  const lengths = new Set<number>()
  for (let index = 0; index < 12; index += 1) {
    const leads = await leadsOf(sim, sim.addBatch({ leads: 1 }))
    lengths.add((leads[0]?.uid ?? '').replace(/_0000$/, '').length)
  }
  expect(lengths.size).toBeGreaterThan(1)
})

test('looks batches up whatever the letter case of the uuid', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  expect((await get(sim, uuid.toUpperCase())).status).toBe(200)
})

// --- Auth and errors ----------------------------------------------------------------------------

test.each([
  ['without a key', {}],
  ['with a wrong key', { 'x-api-key': 'nope' }],
])('answers 401 "Invalid api key" %s, before looking up the batch', async (_, headers) => {
  const clock = manualClock(Date.parse('2026-05-01T08:00:00Z'))
  const sim = setup({ now: clock.now })
  const res = await sim.fetch(`${BASE}/${UNKNOWN}`, { headers })
  expect(res.status).toBe(401)
  expect(await res.json()).toEqual({
    title: 'Unauthorized',
    status: 401,
    details: 'Invalid api key',
    timestamp: '2026-05-01 08:00:00',
    extra: null,
  })
  expect(sim.stats()).toMatchObject({ requests: 1, processed: 0 })
})

test('answers 404 in the documented dialect for an unknown batch', async () => {
  const clock = manualClock(Date.parse('2026-05-01T22:59:07.5+02:00'))
  const sim = setup({ now: clock.now })
  const res = await get(sim, UNKNOWN)
  expect(res.status).toBe(404)
  expect(await res.json()).toEqual({
    title: 'Not Found',
    status: 404,
    details: `Lead enrichment with uuid ${UNKNOWN} was not found`,
    timestamp: '2026-05-01 20:59:07',
    extra: null,
  })
})

test('answers 404 in the dialect for any other path, and still counts and logs it', async () => {
  const sim = setup()
  const res = await sim.fetch('http://sim.test/rest/v1/me?x=1', { headers: { 'x-api-key': KEY } })
  expect(res.status).toBe(404)
  expect((await json<{ timestamp: string }>(res)).timestamp).toMatch(TIMESTAMP)
  expect(sim.stats()).toMatchObject({ requests: 1, log: [{ path: '/rest/v1/me?x=1' }] })
})

// --- Batch progress ---------------------------------------------------------------------------

test('a timed batch flips its leads over durationMs from creation, deterministically', async () => {
  const clock = manualClock()
  const sim = setup({ now: clock.now })
  const uuid = sim.addBatch({ uuid: UNKNOWN, leads: 10, durationMs: 10_000 })
  const seen: number[] = []
  for (let tick = 0; tick <= 10; tick += 1) {
    seen.push(processedCount(await leadsOf(sim, uuid)))
    clock.advance(1_000)
  }
  expect(seen[0]).toBe(0)
  expect(seen.at(-1)).toBe(10)
  expect(seen).toEqual([...seen].sort((a, b) => a - b))
  expect(new Set(seen).size).toBeGreaterThan(3)

  const replay = manualClock()
  const sim2 = setup({ now: replay.now })
  sim2.addBatch({ uuid: UNKNOWN, leads: 10, durationMs: 10_000 })
  const seen2: number[] = []
  for (let tick = 0; tick <= 10; tick += 1) {
    seen2.push(processedCount(await leadsOf(sim2, uuid)))
    replay.advance(1_000)
  }
  expect(seen2).toEqual(seen)
})

test('a timed batch does not always flip its leads strictly in order', async () => {
  const clock = manualClock()
  const sim = setup({ now: clock.now })
  let outOfOrder = false
  for (let batch = 0; batch < 5 && !outOfOrder; batch += 1) {
    const uuid = sim.addBatch({ leads: 20, durationMs: 20_000 })
    const start = clock.now()
    for (let tick = 0; tick <= 20 && !outOfOrder; tick += 1) {
      const statuses = (await leadsOf(sim, uuid)).map((lead) => lead.status)
      outOfOrder =
        statuses.indexOf('PENDING') !== -1 &&
        statuses.lastIndexOf('PROCESSED') > statuses.indexOf('PENDING')
      clock.advance(1_000)
    }
    clock.advance(start - clock.now())
  }
  expect(outOfOrder).toBe(true)
})

test('a startOnFirstRequest batch starts its clock at the first request, not at creation', async () => {
  const clock = manualClock()
  const sim = setup({ now: clock.now })
  const uuid = sim.addBatch({ leads: 5, durationMs: 5_000, startOnFirstRequest: true })
  clock.advance(3_600_000)
  expect(processedCount(await leadsOf(sim, uuid))).toBe(0)
  clock.advance(4_999)
  expect(processedCount(await leadsOf(sim, uuid))).toBeLessThan(5)
  clock.advance(1)
  expect(processedCount(await leadsOf(sim, uuid))).toBe(5)
})

test('a manual batch flips only through flip(), in lead order, with the scripted results', async () => {
  const clock = manualClock()
  const sim = setup({ now: clock.now })
  const uuid = sim.addBatch({
    leads: 3,
    mode: 'manual',
    results: ['CONVERTED_TO_PROSPECT', 'SOMETHING_NEW', 'NOT_CONVERTED_TO_PROSPECT'],
    statuses: ['PROCESSED', 'FAILED_SOMEHOW'],
  })
  clock.advance(3_600_000)
  expect(processedCount(await leadsOf(sim, uuid))).toBe(0)
  expect(sim.flip(uuid, 2)).toBe(2)
  expect(
    (await leadsOf(sim, uuid)).map(({ status, processing_result }) => [status, processing_result]),
  ).toEqual([
    ['PROCESSED', 'CONVERTED_TO_PROSPECT'],
    ['FAILED_SOMEHOW', 'SOMETHING_NEW'],
    ['PENDING', null],
  ])
  expect(sim.flip(uuid, 5)).toBe(1)
  expect(sim.flip(uuid)).toBe(0)
  expect(processedCount(await leadsOf(sim, uuid))).toBe(3)
  expect(() => sim.flip(UNKNOWN)).toThrow()
})

test('a complete batch has every lead processed, with convertedRatio of them converted', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 20, complete: true, convertedRatio: 0.25 })
  const leads = await leadsOf(sim, uuid)
  expect(leads.every((lead) => lead.status === 'PROCESSED')).toBe(true)
  const converted = leads.filter((lead) => lead.processing_result === 'CONVERTED_TO_PROSPECT')
  const notConverted = leads.filter(
    (lead) => lead.processing_result === 'NOT_CONVERTED_TO_PROSPECT',
  )
  expect([converted.length, notConverted.length]).toEqual([5, 15])
})

test('addBatch rejects nonsense scripts', () => {
  const sim = setup()
  expect(() => sim.addBatch({ leads: 0 })).toThrow()
  expect(() => sim.addBatch({ leads: 51 })).toThrow()
  expect(() => sim.addBatch({ uuid: 'not-a-uuid' })).toThrow()
  expect(() => sim.addBatch({ mode: 'sometimes' as 'timed' })).toThrow()
  expect(() => sim.addBatch({ leads: 2, results: ['A', 'B', 'C'] })).toThrow()
})

// --- Stats and log --------------------------------------------------------------------------------

test('logs what the upstream received: method, raw path, lower-cased headers', async () => {
  const clock = manualClock(Date.parse('2026-05-01T08:00:00Z'))
  const sim = setup({ now: clock.now })
  const uuid = sim.addBatch({ leads: 1 })
  await sim.fetch(`${BASE}/${uuid}?a=1`, { headers: { 'X-API-Key': KEY, 'X-Company-Id': '42' } })
  expect(sim.stats().log).toEqual([
    {
      at: '2026-05-01T08:00:00.000Z',
      method: 'GET',
      path: `/rest/v2/lead_finder/leads/enrichments/${uuid}?a=1`,
      headers: { 'x-api-key': KEY, 'x-company-id': '42' },
    },
  ])
  expect(sim.stats().byBatch).toEqual({ [uuid]: 1 })
})

test('keeps only the last 1000 requests in the log', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  for (let index = 0; index < 1005; index += 1) await sim.fetch(`${BASE}/${uuid}?n=${index}`)
  const { log, requests } = sim.stats()
  expect(requests).toBe(1005)
  expect(log).toHaveLength(1000)
  expect(log[0]?.path).toMatch(/\?n=5$/)
  expect(log.at(-1)?.path).toMatch(/\?n=1004$/)
})

test('resetStats zeroes the counters and log; reset also forgets batches and the fault', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'error_500' })
  await get(sim, uuid)
  sim.resetStats()
  expect(sim.stats()).toEqual({
    requests: 0,
    processed: 0,
    dropped: 0,
    maxConcurrent: 0,
    inFlight: 0,
    byBatch: {},
    log: [],
  })
  expect((await get(sim, uuid)).status).toBe(500)
  sim.reset()
  expect((await get(sim, uuid)).status).toBe(404)
  expect(sim.stats().requests).toBe(1)
})

// --- Control routes -------------------------------------------------------------------------------

function control(sim: Simulator, method: string, path: string, body?: unknown) {
  return sim.app.request(`/__sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
}

test('GET /__sim/health answers ok, without a key', async () => {
  const res = await control(setup(), 'GET', '/health')
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ status: 'ok' })
})

test('POST /__sim/batches creates a batch from a script', async () => {
  const sim = setup()
  const res = await control(sim, 'POST', '/batches', { uuid: UNKNOWN, leads: 4, complete: true })
  expect(res.status).toBe(201)
  expect(await res.json()).toEqual({ uuid: UNKNOWN })
  const leads = await leadsOf(sim, UNKNOWN)
  expect(leads).toHaveLength(4)
  expect(processedCount(leads)).toBe(4)
})

test('POST /__sim/batches with an empty script creates a default batch of 10 leads', async () => {
  const sim = setup()
  const { uuid } = await json<{ uuid: string }>(await control(sim, 'POST', '/batches', {}))
  expect(await leadsOf(sim, uuid)).toHaveLength(10)
})

test.each([
  ['not JSON', '{leads: 3'],
  ['an array', []],
  ['leads not a number', { leads: 'many' }],
  ['too many leads', { leads: 51 }],
  ['an unknown mode', { mode: 'sometimes' }],
  ['results not strings', { results: [1, 2] }],
  ['a bad uuid', { uuid: '../../v1/me' }],
  ['a ratio above 1', { convertedRatio: 2 }],
  ['a flag that is not a boolean', { complete: 'yes' }],
])('POST /__sim/batches answers 400 for %s', async (_, body) => {
  const sim = setup()
  const res = await control(sim, 'POST', '/batches', body)
  expect(res.status).toBe(400)
  expect(await res.json()).toMatchObject({ status: 400, title: 'Bad Request' })
})

test('POST /__sim/batches/:uuid/flip flips count leads (1 with an empty body)', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 5, mode: 'manual' })
  const two = await control(sim, 'POST', `/batches/${uuid}/flip`, { count: 2 })
  expect(two.status).toBe(200)
  expect(await two.json()).toEqual({ flipped: 2 })
  expect(await (await control(sim, 'POST', `/batches/${uuid}/flip`)).json()).toEqual({ flipped: 1 })
  expect(processedCount(await leadsOf(sim, uuid))).toBe(3)
})

test('POST /__sim/batches/:uuid/flip answers 404 for an unknown batch and 400 for a bad count', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 5, mode: 'manual' })
  expect((await control(sim, 'POST', `/batches/${UNKNOWN}/flip`, { count: 1 })).status).toBe(404)
  expect((await control(sim, 'POST', `/batches/${uuid}/flip`, { count: -1 })).status).toBe(400)
  expect((await control(sim, 'POST', `/batches/${uuid}/flip`, { count: 'all' })).status).toBe(400)
  expect((await control(sim, 'POST', `/batches/${uuid}/flip`, 'nope')).status).toBe(400)
})

test('PUT and DELETE /__sim/fault set and clear a fault', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  const put = await control(sim, 'PUT', '/fault', { kind: 'error_500', uuid })
  expect(put.status).toBe(204)
  expect((await get(sim, uuid)).status).toBe(500)
  expect((await control(sim, 'DELETE', '/fault')).status).toBe(204)
  expect((await get(sim, uuid)).status).toBe(200)
})

test.each([
  ['not JSON', 'error_500'],
  ['an unknown kind', { kind: 'explode' }],
  ['no kind', { times: 1 }],
  ['times of 0', { kind: 'hang', times: 0 }],
  ['negative ms', { kind: 'latency', ms: -5 }],
  ['a retryAfterS string', { kind: 'throttled_429', retryAfterS: 'soon' }],
])('PUT /__sim/fault answers 400 for %s', async (_, body) => {
  const sim = setup()
  expect((await control(sim, 'PUT', '/fault', body)).status).toBe(400)
  expect((await get(sim, sim.addBatch({ leads: 1 }))).status).toBe(200)
})

test('GET /__sim/stats and POST /__sim/stats/reset; control routes never count', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  await get(sim, uuid)
  await control(sim, 'GET', '/health')
  const stats = await json<SimulatorStats>(await control(sim, 'GET', '/stats'))
  expect(stats).toMatchObject({
    requests: 1,
    processed: 1,
    dropped: 0,
    maxConcurrent: 1,
    inFlight: 0,
  })
  expect(stats.byBatch).toEqual({ [uuid]: 1 })
  expect(stats.log).toHaveLength(1)
  expect((await control(sim, 'POST', '/stats/reset')).status).toBe(204)
  expect(sim.stats()).toMatchObject({ requests: 0, log: [] })
})

test('POST /__sim/reset forgets batches', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  expect((await control(sim, 'POST', '/reset')).status).toBe(204)
  expect((await get(sim, uuid)).status).toBe(404)
})
