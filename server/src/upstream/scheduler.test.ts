import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { EnrichmentResponse, LeadEnrichment } from '../contract.ts'
import { ApiError } from '../errors.ts'
import { rejectionOf } from './rejection.ts'
import type { Scheduler, SchedulerSettings } from './scheduler.ts'
import { createScheduler, DEFAULT_SCHEDULER_SETTINGS } from './scheduler.ts'
import type { WoodpeckerClient } from './types.ts'
import { UpstreamError } from './types.ts'

interface FakeCall {
  uuid: string
  args: unknown[]
  startedAt: number
  endedAt: number | null
  succeed(data?: LeadEnrichment): void
  fail(error: unknown): void
}

function createFakeClient() {
  const calls: FakeCall[] = []
  let active = 0
  let maxActive = 0
  const client: WoodpeckerClient = {
    getEnrichment(...args: [uuid: string]) {
      const [uuid] = args
      active += 1
      maxActive = Math.max(maxActive, active)
      return new Promise<LeadEnrichment>((resolve, reject) => {
        const call: FakeCall = {
          uuid,
          args,
          startedAt: Date.now(),
          endedAt: null,
          succeed(data = enrichment(uuid)) {
            end()
            resolve(data)
          },
          fail(error) {
            end()
            reject(error)
          },
        }
        function end(): void {
          if (call.endedAt !== null) throw new Error(`call for ${uuid} settled twice`)
          call.endedAt = Date.now()
          active -= 1
        }
        calls.push(call)
      })
    },
  }
  return {
    client,
    calls,
    pending: () => calls.filter((call) => call.endedAt === null),
    maxActive: () => maxActive,
    uuids: () => calls.map((call) => call.uuid),
  }
}

type Fake = ReturnType<typeof createFakeClient>

function batchId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
}

function enrichment(uuid: string, { pending = 1, processed = 1 } = {}): LeadEnrichment {
  const leads = [
    ...Array.from({ length: processed }, (_, i) => ({
      uid: `p${i}_0000`,
      status: 'PROCESSED',
      processing_result: 'CONVERTED_TO_PROSPECT',
    })),
    ...Array.from({ length: pending }, (_, i) => ({
      uid: `q${i}_0000`,
      status: 'PENDING',
      processing_result: null,
    })),
  ]
  return { uuid, created: '2026-12-04T19:00:00+01:00', leads }
}

const A = batchId(1)
const B = batchId(2)
const C = batchId(3)
const D = batchId(4)
const E = batchId(5)

let schedulers: Scheduler[] = []

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-12-04T19:00:00.000Z'))
})

afterEach(() => {
  for (const scheduler of schedulers) scheduler.close()
  schedulers = []
  vi.useRealTimers()
})

function setup(overrides: Partial<SchedulerSettings> = {}, random: () => number = () => 0) {
  const fake = createFakeClient()
  const settings = { ...DEFAULT_SCHEDULER_SETTINGS, minGapMs: 0, ...overrides }
  const scheduler = createScheduler({
    client: fake.client,
    settings,
    mode: 'live',
    now: () => Date.now(),
    random,
  })
  schedulers.push(scheduler)
  return { scheduler, fake, settings }
}

async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0)
}

async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

function only(fake: Fake): FakeCall {
  const pending = fake.pending()
  expect(pending).toHaveLength(1)
  const [call] = pending
  if (!call) throw new Error('no pending call')
  return call
}

/** Fetches `uuid` for the first time (slot free, no gap) and returns the answer. */
async function prime(
  ctx: { scheduler: Scheduler; fake: Fake },
  uuid: string,
  data?: LeadEnrichment,
): Promise<EnrichmentResponse> {
  const answer = ctx.scheduler.get(uuid)
  await flush()
  const call = only(ctx.fake)
  expect(call.uuid).toBe(uuid)
  call.succeed(data)
  return answer
}

const rejection = (answer: unknown) => rejectionOf(answer, ApiError)

function settledFlag(answer: unknown): { settled: boolean } {
  const flag = { settled: false }
  Promise.resolve(answer).then(
    () => {
      flag.settled = true
    },
    () => {
      flag.settled = true
    },
  )
  return flag
}

test('keeps one upstream call in flight and minGapMs idle between calls for 20 batches asked at once', async () => {
  const { scheduler, fake } = setup({ minGapMs: 200 })
  const ids = Array.from({ length: 20 }, (_, i) => batchId(100 + i))
  const answers = ids.flatMap((id) => [scheduler.get(id), scheduler.get(id)])
  await flush()

  for (let i = 0; i < ids.length; i += 1) {
    only(fake).succeed()
    await advance(199)
    expect(fake.pending()).toHaveLength(0)
    await advance(1)
  }
  const responses = await Promise.all(answers)

  expect(fake.maxActive()).toBe(1)
  expect(fake.uuids()).toEqual(ids)
  for (let i = 1; i < fake.calls.length; i += 1) {
    const previous = fake.calls[i - 1]
    const call = fake.calls[i]
    expect((call?.startedAt ?? 0) - (previous?.endedAt ?? 0)).toBeGreaterThanOrEqual(200)
  }
  expect(responses.map((r) => r.lead_enrichment.uuid)).toEqual(ids.flatMap((id) => [id, id]))
})

test('with concurrency 2, never more than two calls are in flight', async () => {
  const { scheduler, fake } = setup({ concurrency: 2 })
  const answers = Array.from({ length: 6 }, (_, i) => scheduler.get(batchId(200 + i)))
  await flush()
  for (let round = 0; round < 3; round += 1) {
    expect(fake.pending()).toHaveLength(2)
    for (const call of fake.pending()) call.succeed()
    await flush()
  }
  await Promise.all(answers)
  expect(fake.maxActive()).toBe(2)
  expect(fake.calls).toHaveLength(6)
})

test('ten concurrent requests for one batch share one upstream call that receives only the uuid', async () => {
  const { scheduler, fake } = setup()
  const answers = Array.from({ length: 10 }, () => scheduler.get(A))
  await flush()
  const call = only(fake)
  // No request signal reaches the client: a viewer who leaves cannot abort the shared call.
  expect(call.args).toEqual([A])
  call.succeed()
  const responses = await Promise.all(answers)
  expect(fake.calls).toHaveLength(1)
  for (const response of responses) {
    expect(response.lead_enrichment.uuid).toBe(A)
    expect(response.meta).toMatchObject({ stale: false, error: null, age_ms: 0, mode: 'live' })
  }
})

test('serves a snapshot younger than freshMs without an upstream call, then refreshes once it is older', async () => {
  const ctx = setup({ freshMs: 2_000 })
  const first = await prime(ctx, A)
  expect(first.meta.fetched_at).toBe('2026-12-04T19:00:00.000Z')

  await advance(1_999)
  const reused = await ctx.scheduler.get(A)
  expect(reused.meta.age_ms).toBe(1_999)
  expect(ctx.fake.calls).toHaveLength(1)

  await advance(1)
  const older = await ctx.scheduler.get(A)
  // Answered at once from the snapshot with its true age; the refresh runs behind it.
  expect(older.meta).toMatchObject({ age_ms: 2_000, stale: false })
  expect(ctx.fake.calls).toHaveLength(2)
  only(ctx.fake).succeed(enrichment(A, { pending: 0, processed: 2 }))
  await flush()
  const refreshed = await ctx.scheduler.get(A)
  expect(refreshed.meta).toMatchObject({ age_ms: 0, complete: true })
  expect(refreshed.meta.fetched_at).toBe('2026-12-04T19:00:02.000Z')
})

test('does not refresh a complete batch for completeMs and advises pollMaxMs for it', async () => {
  const ctx = setup({ freshMs: 2_000, completeMs: 600_000, pollMaxMs: 30_000 })
  const first = await prime(ctx, A, enrichment(A, { pending: 0, processed: 3 }))
  expect(first.meta).toMatchObject({ complete: true, next_poll_ms: 30_000 })

  for (let t = 30_000; t < 600_000; t += 30_000) {
    await advance(30_000)
    await ctx.scheduler.get(A)
  }
  await advance(29_999)
  expect((await ctx.scheduler.get(A)).meta.age_ms).toBe(599_999)
  expect(ctx.fake.calls).toHaveLength(1)

  await advance(1)
  await ctx.scheduler.get(A)
  expect(ctx.fake.calls).toHaveLength(2)
})

test('remembers a 404 for notFoundMs: ten people pasting the same typo cost one call', async () => {
  const { scheduler, fake } = setup({ notFoundMs: 10_000 })
  const answers = Array.from({ length: 10 }, () => scheduler.get(A))
  await flush()
  only(fake).fail(
    new UpstreamError('not_found', 'Lead enrichment was not found', { upstreamStatus: 404 }),
  )
  for (const answer of answers) {
    const error = await rejection(answer)
    expect(error).toMatchObject({ code: 'not_found', status: 404 })
  }

  await advance(9_999)
  expect(await rejection(scheduler.get(A))).toMatchObject({ code: 'not_found', status: 404 })
  expect(fake.calls).toHaveLength(1)

  // A 404 is an answer, not trouble: other batches are not held back by it.
  const other = scheduler.get(B)
  await flush()
  only(fake).succeed()
  await other

  await advance(1)
  const again = scheduler.get(A)
  await flush()
  expect(fake.uuids()).toEqual([A, B, A])
  only(fake).succeed()
  expect((await again).lead_enrichment.uuid).toBe(A)
})

test('refreshes due batches least recently attempted first, after first fetches that have waiters', async () => {
  const ctx = setup({ freshMs: 1_000 })
  await prime(ctx, A)
  await advance(10)
  await prime(ctx, B)
  await advance(10)
  await prime(ctx, C)
  await advance(1_000)

  const first = ctx.scheduler.get(D)
  await flush()
  // The slot is busy with D; these three are answered from snapshots and marked due in the order C, A, B.
  await ctx.scheduler.get(C)
  await ctx.scheduler.get(A)
  await ctx.scheduler.get(B)
  only(ctx.fake).succeed()
  await first
  expect(ctx.fake.uuids()).toEqual([A, B, C, D, A])

  const newcomer = ctx.scheduler.get(E)
  only(ctx.fake).succeed()
  await flush()
  expect(ctx.fake.uuids().at(-1)).toBe(E)
  only(ctx.fake).succeed()
  await newcomer
  only(ctx.fake).succeed()
  await flush()
  only(ctx.fake).succeed()
  await flush()
  expect(ctx.fake.uuids()).toEqual([A, B, C, D, A, E, B, C])
  expect(ctx.fake.pending()).toHaveLength(0)
})

test('never refreshes a batch nobody asked about for watchTtlMs', async () => {
  const ctx = setup({ freshMs: 1_000, watchTtlMs: 5_000 })
  await prime(ctx, A)
  await prime(ctx, B)
  await advance(3_600_000)
  expect(ctx.fake.calls).toHaveLength(2)

  await prime(ctx, A)
  await advance(1_000)
  // A is marked due while the slot is held by a slow first fetch, then nobody asks again.
  const slow = ctx.scheduler.get(C)
  await flush()
  await ctx.scheduler.get(A)
  expect(ctx.scheduler.stats().due).toBe(1)
  await advance(5_001)
  only(ctx.fake).succeed()
  await slow
  await advance(60_000)
  expect(ctx.fake.uuids()).toEqual([A, B, A, C])
})

test('a viewer returning after watchTtlMs waits for a fresh answer instead of getting the old snapshot', async () => {
  const ctx = setup({ freshMs: 1_000, watchTtlMs: 5_000 })
  await prime(ctx, A, enrichment(A, { pending: 2, processed: 0 }))
  await advance(5_001)

  const returning = ctx.scheduler.get(A)
  const alsoWaiting = ctx.scheduler.get(A)
  const flag = settledFlag(returning)
  await flush()
  expect(flag.settled).toBe(false)
  only(ctx.fake).succeed(enrichment(A, { pending: 0, processed: 2 }))
  for (const answer of await Promise.all([returning, alsoWaiting])) {
    expect(answer.meta).toMatchObject({ age_ms: 0, complete: true })
  }
  expect(ctx.fake.calls).toHaveLength(2)
})

test('serves the last good snapshot marked stale while refreshes fail, then recovers', async () => {
  const ctx = setup({ freshMs: 1_000, backoffBaseMs: 1_000 }, () => 0)
  await prime(ctx, A, enrichment(A, { pending: 2, processed: 0 }))
  await advance(1_000)
  await ctx.scheduler.get(A)
  only(ctx.fake).fail(
    new UpstreamError('upstream_error', 'Woodpecker answered 500', { upstreamStatus: 500 }),
  )
  await flush()

  const stale = await ctx.scheduler.get(A)
  expect(stale.lead_enrichment.leads.every((lead) => lead.status === 'PENDING')).toBe(true)
  expect(stale.meta).toMatchObject({
    stale: true,
    error: { code: 'upstream_error', details: 'Woodpecker answered 500' },
    age_ms: 1_000,
    fetched_at: '2026-12-04T19:00:00.000Z',
  })

  await advance(1_000)
  expect((await ctx.scheduler.get(A)).meta.stale).toBe(true)
  only(ctx.fake).succeed(enrichment(A, { pending: 1, processed: 1 }))
  await flush()
  const recovered = await ctx.scheduler.get(A)
  expect(recovered.meta).toMatchObject({ stale: false, error: null, age_ms: 0 })
  expect(recovered.lead_enrichment.leads.filter((lead) => lead.status === 'PENDING')).toHaveLength(
    1,
  )
})

test.each([
  ['upstream_unauthorized', 502],
  ['upstream_throttled', 503],
  ['upstream_timeout', 504],
  ['upstream_error', 502],
  ['upstream_bad_response', 502],
] as const)(
  'a never-seen batch failing with %s answers %i and remembers it until its backoff ends',
  async (code, status) => {
    const { scheduler, fake } = setup({ backoffBaseMs: 1_000 }, () => 0)
    const first = scheduler.get(A)
    await flush()
    only(fake).fail(new UpstreamError(code, 'upstream said no'))
    expect(await rejection(first)).toMatchObject({ code, status, retryAfterMs: 1_000 })

    await advance(400)
    for (let i = 0; i < 5; i += 1) {
      expect(await rejection(scheduler.get(A))).toMatchObject({ code, status, retryAfterMs: 600 })
    }
    expect(fake.calls).toHaveLength(1)

    await advance(600)
    const retry = scheduler.get(A)
    await flush()
    expect(fake.calls).toHaveLength(2)
    only(fake).succeed()
    expect((await retry).meta.stale).toBe(false)
  },
)

test("each never-seen batch remembers its own failure, not a neighbour's", async () => {
  const { scheduler, fake } = setup({ concurrency: 2, backoffBaseMs: 1_000 }, () => 0)
  const a = scheduler.get(A)
  const b = scheduler.get(B)
  await flush()
  const [callA, callB] = fake.pending()
  callA?.fail(new UpstreamError('upstream_bad_response', 'Not the documented shape'))
  await flush()
  callB?.fail(new UpstreamError('upstream_unauthorized', 'Invalid api key'))
  expect(await rejection(a)).toMatchObject({ code: 'upstream_bad_response', status: 502 })
  expect(await rejection(b)).toMatchObject({ code: 'upstream_unauthorized', status: 502 })

  await advance(500)
  expect(await rejection(scheduler.get(A))).toMatchObject({
    code: 'upstream_bad_response',
    retryAfterMs: 500,
  })
  expect(await rejection(scheduler.get(B))).toMatchObject({
    code: 'upstream_unauthorized',
    retryAfterMs: 1_500,
  })
  expect(fake.calls).toHaveLength(2)
})

test('a throttle with Retry-After pauses the whole slot for that long', async () => {
  const ctx = setup({ freshMs: 1_000 })
  await prime(ctx, A)
  await prime(ctx, B)
  await advance(1_000)
  await ctx.scheduler.get(A)
  only(ctx.fake).fail(
    new UpstreamError('upstream_throttled', 'Too many requests', {
      upstreamStatus: 429,
      retryAfterMs: 5_000,
    }),
  )
  await flush()
  expect(ctx.scheduler.stats().pausedUntil).toBe('2026-12-04T19:00:06.000Z')

  // No snapshot to serve: told when to come back instead of hanging.
  expect(await rejection(ctx.scheduler.get(C))).toMatchObject({
    code: 'upstream_throttled',
    status: 503,
    retryAfterMs: 5_000,
  })
  // A snapshot to serve: served, not stale (its own last attempt succeeded), and refreshed after the pause.
  const served = await ctx.scheduler.get(B)
  expect(served.meta).toMatchObject({ stale: false, error: null })
  expect(served.meta.next_poll_ms).toBeGreaterThanOrEqual(5_000)

  await advance(4_999)
  expect(ctx.fake.calls).toHaveLength(3)
  await advance(1)
  expect(ctx.fake.uuids()).toEqual([A, B, A, B])
})

test('first fetches queued when the slot pauses are answered with the pause at once', async () => {
  const { scheduler, fake } = setup({ backoffBaseMs: 2_000 }, () => 0)
  const a = scheduler.get(A)
  const b = scheduler.get(B)
  await flush()
  only(fake).fail(new UpstreamError('upstream_throttled', 'Dropped', { upstreamStatus: 429 }))
  expect(await rejection(a)).toMatchObject({ code: 'upstream_throttled', retryAfterMs: 2_000 })
  expect(await rejection(b)).toMatchObject({
    code: 'upstream_throttled',
    status: 503,
    retryAfterMs: 2_000,
  })
  expect(fake.uuids()).toEqual([A])
  expect(scheduler.stats().queued).toBe(0)
})

test('consecutive failures of any kind pause the slot with jittered exponential backoff up to the maximum, reset by a success', async () => {
  const ctx = setup({ freshMs: 1_000, backoffBaseMs: 1_000, backoffMaxMs: 5_000 }, () => 0.5)
  await prime(ctx, A)
  await advance(1_000)
  await ctx.scheduler.get(A)

  const failures = [
    new UpstreamError('upstream_throttled', 'Dropped', { upstreamStatus: 429 }),
    new UpstreamError('upstream_throttled', 'Dropped', { upstreamStatus: 429 }),
    new UpstreamError('upstream_error', 'Reset'),
    new UpstreamError('upstream_timeout', 'No answer'),
  ]
  // base × 2^(n-1) × (1 + jitter), capped at backoffMaxMs.
  const pauses = [1_500, 3_000, 5_000, 5_000]
  for (const [i, failure] of failures.entries()) {
    only(ctx.fake).fail(failure)
    await flush()
    await ctx.scheduler.get(A)
    const pause = pauses[i] ?? 0
    await advance(pause - 1)
    expect(ctx.fake.pending()).toHaveLength(0)
    await advance(1)
    expect(ctx.fake.pending()).toHaveLength(1)
  }

  only(ctx.fake).succeed()
  await advance(1_000)
  await ctx.scheduler.get(A)
  only(ctx.fake).fail(new UpstreamError('upstream_error', 'Reset'))
  await flush()
  await ctx.scheduler.get(A)
  await advance(1_499)
  expect(ctx.fake.pending()).toHaveLength(0)
  await advance(1)
  expect(ctx.fake.pending()).toHaveLength(1)
})

test('past queueLimit batches waiting for a first fetch, answers 503 busy with Retry-After and calls nothing', async () => {
  const { scheduler, fake } = setup({ queueLimit: 3 })
  const waiting = [A, B, C, D].map((id) => scheduler.get(id))
  await flush()
  expect(scheduler.stats()).toMatchObject({ inFlight: 1, queued: 3 })

  const error = await rejection(scheduler.get(E))
  expect(error).toMatchObject({ code: 'busy', status: 503 })
  expect(error.retryAfterMs).toBeGreaterThan(0)
  // Joining a batch already waiting costs no queue place.
  const joined = scheduler.get(B)

  for (let i = 0; i < 4; i += 1) {
    only(fake).succeed()
    await flush()
  }
  await Promise.all([...waiting, joined])
  expect(fake.uuids()).toEqual([A, B, C, D])
})

test('keeps at most maxBatches entries, evicting the least recently used', async () => {
  const ctx = setup({ maxBatches: 3 })
  await prime(ctx, A)
  await prime(ctx, B)
  await prime(ctx, C)
  await ctx.scheduler.get(A)
  await prime(ctx, D)
  expect(ctx.scheduler.stats().cached).toBe(3)

  await ctx.scheduler.get(A)
  await ctx.scheduler.get(C)
  await ctx.scheduler.get(D)
  expect(ctx.fake.calls).toHaveLength(4)
  const evicted = ctx.scheduler.get(B)
  await flush()
  expect(ctx.fake.uuids()).toEqual([A, B, C, D, B])
  only(ctx.fake).succeed()
  await evicted
})

test('never evicts a batch with waiters or a call in flight', async () => {
  const { scheduler, fake } = setup({ maxBatches: 2 })
  const a = scheduler.get(A)
  const b = scheduler.get(B)
  await flush()
  expect(await rejection(scheduler.get(C))).toMatchObject({ code: 'busy', status: 503 })
  only(fake).succeed()
  await flush()
  only(fake).succeed()
  await Promise.all([a, b])
  expect(fake.uuids()).toEqual([A, B])
})

async function adviceFor(watched: number, latencyMs: number): Promise<number> {
  const { scheduler, fake } = setup({
    minGapMs: 200,
    freshMs: 1_000,
    pollMinMs: 500,
    pollMaxMs: 30_000,
  })
  const ids = Array.from({ length: watched }, (_, i) => batchId(300 + i))
  const answers = ids.map((id) => scheduler.get(id))
  for (let i = 0; i < watched; i += 1) {
    await advance(latencyMs)
    only(fake).succeed()
    await advance(200)
  }
  await Promise.all(answers)
  // The batch fetched last is still fresh, so the advice is the cycle, not a pending refresh.
  const last = ids[ids.length - 1]
  return (await scheduler.get(last ?? A)).meta.next_poll_ms
}

test('next_poll_ms follows the watched batches and the observed latency, within the poll bounds', async () => {
  // max(freshMs, W × (L + minGapMs)), clamped to [pollMinMs, pollMaxMs].
  expect(await adviceFor(1, 100)).toBe(1_000)
  expect(await adviceFor(10, 100)).toBe(3_000)
  expect(await adviceFor(10, 900)).toBe(11_000)
  expect(await adviceFor(25, 1_500)).toBe(30_000)
})

test('a viewer asking for current data waits for the refresh instead of getting the old snapshot', async () => {
  const ctx = setup({ freshMs: 2_000 })
  await prime(ctx, A, enrichment(A, { pending: 2, processed: 0 }))
  await advance(2_500)

  const current = ctx.scheduler.get(A, { revalidate: true })
  const other = ctx.scheduler.get(A)
  await flush()
  // One refresh, shared: the plain poll got the old snapshot at once, the revalidating one waits.
  expect((await other).lead_enrichment.leads.filter((l) => l.status === 'PENDING')).toHaveLength(2)
  only(ctx.fake).succeed(enrichment(A, { pending: 0, processed: 2 }))
  const answer = await current
  expect(answer.meta.age_ms).toBe(0)
  expect(answer.meta.complete).toBe(true)
  expect(ctx.fake.uuids()).toEqual([A, A])
})

test('asking for current data costs nothing while the snapshot is younger than freshMs', async () => {
  const ctx = setup({ freshMs: 2_000 })
  await prime(ctx, A)
  await advance(1_000)
  expect((await ctx.scheduler.get(A, { revalidate: true })).meta.age_ms).toBe(1_000)
  expect(ctx.fake.uuids()).toEqual([A])
})

test('a viewer whose poll starts a refresh is told to come back about when it lands', async () => {
  const { scheduler, fake } = setup({ minGapMs: 0, freshMs: 2_000, pollMinMs: 100 })
  const first = scheduler.get(A)
  await flush()
  await advance(300)
  only(fake).succeed()
  expect((await first).meta.next_poll_ms).toBe(2_000)

  await advance(2_500)
  const stale = await scheduler.get(A)
  // The old snapshot now, and advice to return after one call of the observed latency, not a
  // whole freshMs later, when the refreshed snapshot would already be old again.
  expect(stale.meta.age_ms).toBe(2_500)
  expect(stale.meta.next_poll_ms).toBe(300)
  await advance(300)
  only(fake).succeed()
  await flush()
  expect((await scheduler.get(A)).meta.age_ms).toBe(0)
})

test('the latency average counts failed answers too, but not calls that hit the deadline', async () => {
  const { scheduler, fake } = setup({ freshMs: 1_000, pollMaxMs: 60_000 }, () => 0)
  const a = scheduler.get(A)
  await flush()
  await advance(3_000)
  only(fake).fail(new UpstreamError('upstream_error', 'Woodpecker answered 500'))
  await rejection(a)
  expect(scheduler.stats().latencyMs).toBe(3_000)

  await advance(60_000)
  const b = scheduler.get(B)
  await flush()
  await advance(25_000)
  only(fake).fail(new UpstreamError('upstream_timeout', 'No answer'))
  await rejection(b)
  expect(scheduler.stats().latencyMs).toBe(3_000)
})

test('close rejects waiters with busy, clears its timers and makes no further upstream calls', async () => {
  const { scheduler, fake } = setup({ minGapMs: 200, freshMs: 1_000 })
  const a = scheduler.get(A)
  await flush()
  only(fake).succeed()
  await a
  // B waits for the gap after A's call: a timer is armed.
  const b = scheduler.get(B)
  await flush()
  expect(vi.getTimerCount()).toBe(1)

  scheduler.close()
  expect(await rejection(b)).toMatchObject({ code: 'busy', status: 503 })
  expect(await rejection(scheduler.get(A))).toMatchObject({ code: 'busy', status: 503 })
  expect(vi.getTimerCount()).toBe(0)
  await advance(3_600_000)
  expect(fake.uuids()).toEqual([A])
})

test('close while a call is in flight answers its waiters and starts nothing after it', async () => {
  const { scheduler, fake } = setup()
  const a = scheduler.get(A)
  const b = scheduler.get(B)
  await flush()
  scheduler.close()
  expect(await rejection(a)).toMatchObject({ code: 'busy' })
  expect(await rejection(b)).toMatchObject({ code: 'busy' })
  only(fake).succeed()
  await advance(60_000)
  expect(fake.uuids()).toEqual([A])
})
