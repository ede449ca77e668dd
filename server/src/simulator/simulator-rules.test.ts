import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { createSimulator, type Fault, type Simulator, type SimulatorOptions } from './simulator.ts'

// The rate rules and the faults, on fake timers: nothing here waits for real time.

const KEY = 'test-key'
const BASE = 'http://sim.test/rest/v2/lead_finder/leads/enrichments'

function setup(options: Partial<SimulatorOptions> = {}): Simulator {
  return createSimulator({ apiKey: KEY, latencyMs: 0, ...options })
}

function get(sim: Simulator, uuid: string, init: RequestInit = {}): Promise<Response> {
  return sim.fetch(`${BASE}/${uuid}`, { ...init, headers: { 'x-api-key': KEY } })
}

/** Records when each promise settles, so a test can ask "answered yet?". */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error) => Object.assign(state, { settled: true, error }),
  )
  return state
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

// --- The rules ----------------------------------------------------------------------------------

test('8 requests at once: 1 processed at a time, 6 queued, the 8th dropped at once with 429', async () => {
  const sim = setup({ latencyMs: 1_000 })
  const uuid = sim.addBatch({ leads: 1 })
  const order: number[] = []
  const responses = Array.from({ length: 8 }, (_, index) =>
    get(sim, uuid).then((res) => {
      order.push(index)
      return res
    }),
  )
  await vi.advanceTimersByTimeAsync(0)
  expect(order).toEqual([7])
  expect(sim.stats()).toMatchObject({
    requests: 8,
    processed: 1,
    dropped: 1,
    maxConcurrent: 8,
    inFlight: 7,
  })

  for (let answered = 1; answered <= 7; answered += 1) {
    await vi.advanceTimersByTimeAsync(999)
    expect(order).toHaveLength(answered)
    await vi.advanceTimersByTimeAsync(1)
    expect(order).toHaveLength(answered + 1)
    expect(sim.stats().processed).toBe(Math.min(answered + 1, 7))
  }
  expect(order).toEqual([7, 0, 1, 2, 3, 4, 5, 6])

  const all = await Promise.all(responses)
  expect(all.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 429])
  const dropped = all[7] as Response
  expect(dropped.headers.get('retry-after')).toBeNull()
  expect(await dropped.json()).toEqual({
    title: 'Too Many Requests',
    status: 429,
    details: expect.any(String),
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    extra: null,
  })
  expect(sim.stats()).toMatchObject({ processed: 7, dropped: 1, maxConcurrent: 8, inFlight: 0 })
})

test('one request at a time keeps maxConcurrent at 1', async () => {
  const sim = setup({ latencyMs: 100 })
  const uuid = sim.addBatch({ leads: 1 })
  for (let index = 0; index < 3; index += 1) {
    const res = get(sim, uuid)
    await vi.advanceTimersByTimeAsync(100)
    expect((await res).status).toBe(200)
  }
  expect(sim.stats()).toMatchObject({ requests: 3, processed: 3, maxConcurrent: 1 })
})

test('a request queued for more than 15 s is answered 429', async () => {
  const sim = setup({ latencyMs: 20_000 })
  const uuid = sim.addBatch({ leads: 1 })
  const first = track(get(sim, uuid))
  const second = track(get(sim, uuid))
  await vi.advanceTimersByTimeAsync(14_999)
  expect(second.settled).toBe(false)
  await vi.advanceTimersByTimeAsync(1)
  expect((second.value as Response).status).toBe(429)
  expect(sim.stats()).toMatchObject({ dropped: 1, processed: 1, inFlight: 1 })
  await vi.advanceTimersByTimeAsync(5_000)
  expect((first.value as Response).status).toBe(200)
  expect(vi.getTimerCount()).toBe(0)
})

test('queueLimit and queueWaitMs can be changed', async () => {
  const sim = setup({ latencyMs: 1_000, queueLimit: 1, queueWaitMs: 500 })
  const uuid = sim.addBatch({ leads: 1 })
  track(get(sim, uuid))
  const queued = track(get(sim, uuid))
  const overflow = track(get(sim, uuid))
  await vi.advanceTimersByTimeAsync(0)
  expect((overflow.value as Response).status).toBe(429)
  expect(queued.settled).toBe(false)
  await vi.advanceTimersByTimeAsync(500)
  expect((queued.value as Response).status).toBe(429)
})

test('with rules off, requests are processed side by side', async () => {
  const sim = setup({ latencyMs: 1_000, rules: false })
  const uuid = sim.addBatch({ leads: 1 })
  const responses = Array.from({ length: 8 }, () => get(sim, uuid))
  await vi.advanceTimersByTimeAsync(1_000)
  expect((await Promise.all(responses)).map((res) => res.status)).toEqual(Array(8).fill(200))
  expect(sim.stats()).toMatchObject({ processed: 8, dropped: 0, maxConcurrent: 8 })
})

test('a caller that aborts while queued leaves the queue', async () => {
  const sim = setup({ latencyMs: 1_000 })
  const uuid = sim.addBatch({ leads: 1 })
  const first = track(get(sim, uuid))
  const controller = new AbortController()
  const second = track(get(sim, uuid, { signal: controller.signal }))
  await vi.advanceTimersByTimeAsync(0)
  controller.abort()
  await vi.advanceTimersByTimeAsync(0)
  expect(second.error).toMatchObject({ name: 'AbortError' })
  expect(sim.stats().inFlight).toBe(1)
  await vi.advanceTimersByTimeAsync(1_000)
  expect((first.value as Response).status).toBe(200)
  expect(sim.stats()).toMatchObject({ processed: 1, dropped: 0, inFlight: 0 })
  expect(vi.getTimerCount()).toBe(0)
})

// --- Faults -------------------------------------------------------------------------------------

test('hang holds the slot until the caller aborts, then frees it and leaves no timer', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'hang', times: 1 })
  const controller = new AbortController()
  const hung = track(get(sim, uuid, { signal: controller.signal }))
  const queued = track(get(sim, uuid))
  await vi.advanceTimersByTimeAsync(15_000)
  expect(hung.settled).toBe(false)
  expect((queued.value as Response).status).toBe(429) // the slot stayed taken

  await vi.advanceTimersByTimeAsync(60_000)
  expect(hung.settled).toBe(false)
  controller.abort()
  await vi.advanceTimersByTimeAsync(0)
  expect(hung.error).toMatchObject({ name: 'AbortError' })
  expect(sim.stats().inFlight).toBe(0)
  expect(vi.getTimerCount()).toBe(0)
  expect((await get(sim, uuid)).status).toBe(200)
})

test('a forgotten hang gives up after 10 minutes with an HTML 504', async () => {
  const sim = setup()
  sim.setFault({ kind: 'hang' })
  const hung = track(get(sim, sim.addBatch({ leads: 1 })))
  await vi.advanceTimersByTimeAsync(600_000)
  const res = hung.value as Response
  expect(res.status).toBe(504)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  expect(vi.getTimerCount()).toBe(0)
})

test('latency adds ms to the answer', async () => {
  const sim = setup({ latencyMs: 100 })
  sim.setFault({ kind: 'latency', ms: 5_000 })
  const answer = track(get(sim, sim.addBatch({ leads: 1 })))
  await vi.advanceTimersByTimeAsync(5_099)
  expect(answer.settled).toBe(false)
  await vi.advanceTimersByTimeAsync(1)
  expect((answer.value as Response).status).toBe(200)
})

test('error_500 answers the documented 500 body', async () => {
  const sim = setup({ now: () => Date.parse('2026-05-01T08:00:00Z') })
  sim.setFault({ kind: 'error_500' })
  const res = await get(sim, sim.addBatch({ leads: 1 }))
  expect(res.status).toBe(500)
  expect(await res.json()).toEqual({
    title: 'Internal Server Error',
    status: 500,
    details: 'An unexpected error has occurred. Please try again later.',
    timestamp: '2026-05-01 08:00:00',
    extra: null,
  })
})

test('html_502 answers an HTML page, not JSON', async () => {
  const sim = setup()
  sim.setFault({ kind: 'html_502' })
  const res = await get(sim, sim.addBatch({ leads: 1 }))
  expect(res.status).toBe(502)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  const text = await res.text()
  expect(text).toMatch(/^<html>/)
  expect(() => JSON.parse(text)).toThrow()
})

test('reset makes the in-process fetch reject like a reset connection, and frees the slot', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'reset', times: 1 })
  const error = await get(sim, uuid).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(TypeError)
  expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNRESET' } })
  expect(sim.stats()).toMatchObject({ inFlight: 0, processed: 1 })
  expect((await get(sim, uuid)).status).toBe(200)
})

test('malformed_json answers 200 application/json with a truncated body', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 3 })
  sim.setFault({ kind: 'malformed_json' })
  const res = await get(sim, uuid)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const text = await res.text()
  expect(text.startsWith(`{"lead_enrichment":{"uuid":"${uuid}"`)).toBe(true)
  expect(() => JSON.parse(text)).toThrow(SyntaxError)
})

test('wrong_shape answers 200 JSON whose leads are not an array', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 3 })
  sim.setFault({ kind: 'wrong_shape' })
  const res = await get(sim, uuid)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { lead_enrichment: { uuid: string; leads: unknown } }
  expect(body.lead_enrichment.uuid).toBe(uuid)
  expect(body.lead_enrichment.leads).toBeTypeOf('object')
  expect(Array.isArray(body.lead_enrichment.leads)).toBe(false)
})

test('unauthorized answers 401 "Invalid api key" even with the right key', async () => {
  const sim = setup()
  sim.setFault({ kind: 'unauthorized' })
  const res = await get(sim, sim.addBatch({ leads: 1 }))
  expect(res.status).toBe(401)
  expect(await res.json()).toMatchObject({ status: 401, details: 'Invalid api key', extra: null })
})

test.each([
  [{ kind: 'throttled_429', retryAfterS: 7 } as Fault, '7'],
  [{ kind: 'throttled_429' } as Fault, null],
])('throttled_429 answers 429 in the dialect (Retry-After %#)', async (fault, retryAfter) => {
  const sim = setup()
  sim.setFault(fault)
  const res = await get(sim, sim.addBatch({ leads: 1 }))
  expect(res.status).toBe(429)
  expect(res.headers.get('retry-after')).toBe(retryAfter)
  expect(await res.json()).toMatchObject({ title: 'Too Many Requests', status: 429, extra: null })
  expect(sim.stats().dropped).toBe(0) // a scripted answer, not a drop by the rules
})

test('throttled_400 answers 400 carrying the legacy E_TOO_MANY_REQUESTS code', async () => {
  const sim = setup()
  sim.setFault({ kind: 'throttled_400' })
  const res = await get(sim, sim.addBatch({ leads: 1 }))
  expect(res.status).toBe(400)
  expect(await res.json()).toEqual({
    status: { status: 'ERROR', code: 'E_TOO_MANY_REQUESTS', msg: expect.any(String) },
  })
})

test('times limits a fault to the next N requests', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'error_500', times: 2 })
  const statuses = []
  for (let index = 0; index < 4; index += 1) statuses.push((await get(sim, uuid)).status)
  expect(statuses).toEqual([500, 500, 200, 200])
})

test('without times a fault stays until cleared', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'error_500' })
  for (let index = 0; index < 3; index += 1) expect((await get(sim, uuid)).status).toBe(500)
  sim.setFault(null)
  expect((await get(sim, uuid)).status).toBe(200)
})

test('uuid scopes a fault to one batch, and other batches do not use up its times', async () => {
  const sim = setup()
  const target = sim.addBatch({ leads: 1 })
  const other = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'error_500', uuid: target.toUpperCase(), times: 1 })
  expect((await get(sim, other)).status).toBe(200)
  expect((await get(sim, target)).status).toBe(500)
  expect((await get(sim, target)).status).toBe(200)
})

test('a request without the key gets 401 and does not use up a fault', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'error_500', times: 1 })
  const keyless = await sim.fetch(`${BASE}/${uuid}`)
  expect(keyless.status).toBe(401)
  expect((await get(sim, uuid)).status).toBe(500)
})

test('setFault rejects nonsense', () => {
  const sim = setup()
  expect(() => sim.setFault({ kind: 'explode' } as unknown as Fault)).toThrow()
  expect(() => sim.setFault({ kind: 'error_500', times: 0 })).toThrow()
  expect(() => sim.setFault({ kind: 'latency', ms: -1 })).toThrow()
})
