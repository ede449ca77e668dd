import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { createApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import type { ApiErrorBody, EnrichmentResponse } from '../contract.ts'
import { createSimulator } from '../simulator/simulator.ts'
import { createScheduler, type Scheduler } from './scheduler.ts'
import { fromFetch } from './transport.ts'
import { createWoodpeckerClient } from './woodpecker-client.ts'

// The whole chain on simulated time: browsers → app → scheduler → client → simulator with
// Woodpecker's rules on. Fake timers drive the simulator's latency and queue as well as the
// scheduler, so the run is deterministic and takes a second or two of real time.

const KEY = 'wp-key-3c9e51f0'
const BATCHES = 25
const VIEWERS = 500
const TICK_MS = 100
const IMPATIENT_POLL_MS = 700

interface Viewer {
  id: number
  uuid: string
  nextAt: number
  busy: boolean
}

interface Tally {
  byStatus: Map<number, number>
  answered: Set<number>
  staleWithUpstreamError: number
  last: Map<string, EnrichmentResponse>
}

let scheduler: Scheduler | null = null

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-12-04T19:00:00.000Z'))
})

afterEach(() => {
  scheduler?.close()
  scheduler = null
  vi.useRealTimers()
})

function setup(minGapMs: number) {
  const sim = createSimulator({ apiKey: KEY, latencyMs: 5 })
  const config = loadConfig({
    WOODPECKER_API_KEY: KEY,
    WOODPECKER_BASE_URL: 'http://sim.test/rest',
    // Every simulated viewer comes through app.request() with no client address: one "client".
    RATE_LIMIT_PER_MIN: '0',
    LOG_LEVEL: 'warn',
  })
  const client = createWoodpeckerClient({
    baseUrl: config.baseUrl,
    apiKey: KEY,
    transport: fromFetch(sim.fetch),
    timeoutMs: config.upstreamTimeoutMs,
  })
  scheduler = createScheduler({
    client,
    settings: { ...config.scheduler, minGapMs },
    mode: config.mode,
    random: () => 0.5,
  })
  const app = createApp({ config, enrichments: scheduler, staticRoot: '/nonexistent' })
  return { sim, app, settings: config.scheduler }
}

function emptyTally(): Tally {
  return { byStatus: new Map(), answered: new Set(), staleWithUpstreamError: 0, last: new Map() }
}

// With the default gap the slot is the bottleneck (25 × 205 ms a round); with a short one
// freshness is, so the call budget checked at the end is tight and only reuse keeps it.
test.each([200, 20])(
  '500 viewers over 25 batches (minGapMs %i) keep Woodpecker at one request at a time, ride out a fault and recover',
  {
    timeout: 60_000,
  },
  async (minGapMs) => {
    const { sim, app, settings } = setup(minGapMs)
    const uuids = Array.from({ length: BATCHES }, () =>
      sim.addBatch({ leads: 10, mode: 'timed', durationMs: 10 * 60_000 }),
    )
    const start = Date.now()
    const viewers: Viewer[] = Array.from({ length: VIEWERS }, (_, i) => ({
      id: i,
      uuid: uuids[i % BATCHES] ?? '',
      // Everyone opens the page within the same two seconds, not in lock-step.
      nextAt: start + ((i * 7_919) % 2_000),
      busy: false,
    }))
    let tally = emptyTally()

    // A browser: poll, then follow next_poll_ms, or Retry-After on an error. Every other viewer
    // is a script that ignores both and asks every 700 ms: the upstream must not notice.
    async function poll(viewer: Viewer): Promise<void> {
      viewer.busy = true
      const response = await app.request(`/api/enrichments/${viewer.uuid}`)
      tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1)
      tally.answered.add(viewer.id)
      let waitMs = Number(response.headers.get('retry-after') ?? '1') * 1_000
      if (response.status === 200) {
        const body = (await response.json()) as EnrichmentResponse
        if (body.meta.stale && body.meta.error?.code === 'upstream_error') {
          tally.staleWithUpstreamError += 1
        }
        tally.last.set(viewer.uuid, body)
        waitMs = body.meta.next_poll_ms
      }
      viewer.nextAt = Date.now() + (viewer.id % 2 === 1 ? IMPATIENT_POLL_MS : waitMs)
      viewer.busy = false
    }

    async function runFor(ms: number): Promise<void> {
      const end = Date.now() + ms
      while (Date.now() < end) {
        for (const viewer of viewers) {
          if (!viewer.busy && viewer.nextAt <= Date.now()) void poll(viewer)
        }
        await vi.advanceTimersByTimeAsync(TICK_MS)
      }
    }

    // Healthy: every viewer is answered, each batch is refreshed in turn.
    await runFor(20_000)
    expect(Object.fromEntries(tally.byStatus)).toEqual({ 200: expect.any(Number) })
    expect(tally.answered.size).toBe(VIEWERS)
    expect(tally.last.size).toBe(BATCHES)
    const healthyCalls = sim.stats().requests
    expect(healthyCalls).toBeGreaterThan(BATCHES * 2)

    // Woodpecker fails every request: viewers keep their snapshots, marked stale.
    sim.setFault({ kind: 'error_500' })
    tally = emptyTally()
    const beforeFault = sim.stats().requests
    await runFor(10_000)
    // Backed off, not retried hot: 1.5 s, 3 s, 6 s… pauses leave room for four attempts at most.
    expect(sim.stats().requests - beforeFault).toBeLessThanOrEqual(4)
    expect(Object.fromEntries(tally.byStatus)).toEqual({ 200: expect.any(Number) })
    expect(tally.answered.size).toBe(VIEWERS)
    expect(tally.staleWithUpstreamError).toBeGreaterThan(0)
    // A batch nobody has seen yet has nothing to show: the upstream's error, with Retry-After.
    const unseen = sim.addBatch({ leads: 3 })
    const pending = Promise.resolve(app.request(`/api/enrichments/${unseen}`))
    await vi.advanceTimersByTimeAsync(1_000)
    const unseenResponse = await pending
    expect(unseenResponse.status).toBe(502)
    expect(((await unseenResponse.json()) as ApiErrorBody).code).toBe('upstream_error')
    expect(unseenResponse.headers.get('retry-after')).not.toBeNull()

    // Woodpecker recovers: once the backoff ends, every batch is fresh again.
    sim.setFault(null)
    tally = emptyTally()
    await runFor(30_000)
    expect(Object.fromEntries(tally.byStatus)).toEqual({ 200: expect.any(Number) })
    expect(tally.answered.size).toBe(VIEWERS)
    for (const uuid of uuids) {
      const response = await app.request(`/api/enrichments/${uuid}`)
      expect(response.status).toBe(200)
      const body = (await response.json()) as EnrichmentResponse
      expect(body.meta).toMatchObject({ stale: false, error: null })
    }

    const stats = sim.stats()
    expect(stats.maxConcurrent).toBe(1)
    expect(stats.dropped).toBe(0)
    const elapsed = Date.now() - start
    const perBatchBound = Math.floor(elapsed / settings.freshMs) + 1
    for (const uuid of uuids) expect(stats.byBatch[uuid] ?? 0).toBeLessThanOrEqual(perBatchBound)
    expect(stats.requests).toBeLessThanOrEqual((BATCHES + 1) * perBatchBound)
  },
)
