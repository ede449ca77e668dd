import type { EnrichmentResponse, LeadEnrichment, Mode, SnapshotError } from '../contract.ts'
import { isComplete } from '../contract.ts'
import { ApiError } from '../errors.ts'
import type { EnrichmentSource, GetOptions, UpstreamErrorCode, WoodpeckerClient } from './types.ts'
import { UpstreamError } from './types.ts'

/** Every timing of the scheduler; config.ts fills these from the environment (README table). */
export interface SchedulerSettings {
  /** UPSTREAM_CONCURRENCY: upstream requests in flight at most (Woodpecker processes one). */
  concurrency: number
  /** UPSTREAM_MIN_GAP_MS: idle time between upstream requests, room for other integrations. */
  minGapMs: number
  /** CACHE_FRESH_MS: a snapshot younger than this is served without asking upstream. */
  freshMs: number
  /** CACHE_COMPLETE_MS: a complete batch (final outcomes) is not refreshed for this long. */
  completeMs: number
  /** CACHE_NOT_FOUND_MS: a 404 is remembered this long. */
  notFoundMs: number
  /** CACHE_MAX_BATCHES: snapshots kept at most (least recently used evicted). */
  maxBatches: number
  /** WATCH_TTL_MS: a batch nobody asked about for this long is no longer refreshed. */
  watchTtlMs: number
  /** QUEUE_LIMIT: batches waiting for the slot at most; past it, 503 busy. */
  queueLimit: number
  /** POLL_MIN_MS / POLL_MAX_MS: bounds of meta.next_poll_ms. */
  pollMinMs: number
  pollMaxMs: number
  /** BACKOFF_BASE_MS / BACKOFF_MAX_MS: pause after upstream failures, doubling, with jitter. */
  backoffBaseMs: number
  backoffMaxMs: number
}

export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = {
  concurrency: 1,
  minGapMs: 200,
  freshMs: 2_000,
  completeMs: 600_000,
  notFoundMs: 10_000,
  maxBatches: 1_000,
  watchTtlMs: 60_000,
  queueLimit: 25,
  pollMinMs: 1_000,
  pollMaxMs: 30_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
}

export interface SchedulerDeps {
  client: WoodpeckerClient
  settings: SchedulerSettings
  mode: Mode
  now?: () => number
  random?: () => number
}

export interface Scheduler extends EnrichmentSource {
  stats(): SchedulerStats
  close(): void
}

export interface SchedulerStats {
  /** Batches someone asked about within watchTtlMs. */
  watched: number
  /** Batches holding a snapshot. */
  cached: number
  /** Batches waiting for their first fetch. */
  queued: number
  /** Watched batches marked for a refresh. */
  due: number
  inFlight: number
  upstreamCalls: number
  /** Moving average of upstream call durations, failures included. */
  latencyMs: number
  pausedUntil: string | null
}

const STATUS_BY_CODE: Record<UpstreamErrorCode | 'busy', number> = {
  not_found: 404,
  upstream_unauthorized: 502,
  upstream_throttled: 503,
  busy: 503,
  upstream_timeout: 504,
  upstream_error: 502,
  upstream_bad_response: 502,
}

// Weight of the newest call in the latency average: reacts within a handful of calls without
// letting one slow answer double every viewer's polling interval.
const LATENCY_WEIGHT = 0.2

interface Snapshot {
  data: LeadEnrichment
  fetchedAt: number
  /** fetchedAt as ISO 8601, made once: every poll of the snapshot sends it. */
  fetchedAtIso: string
  complete: boolean
}

interface Waiter {
  promise: Promise<EnrichmentResponse>
  resolve: (response: EnrichmentResponse) => void
  reject: (error: ApiError) => void
}

interface Entry {
  uuid: string
  snapshot: Snapshot | null
  /** The last attempt failed with this; cleared by a success. */
  lastError: SnapshotError | null
  lastRequestedAt: number
  lastAttemptAt: number
  notFoundUntil: number
  /** Never fetched successfully and the last attempt failed: answer that error until then. */
  failedUntil: number
  inFlight: boolean
  /** Duration of the last upstream call for this batch, for the request log. */
  lastCallMs: number | null
  /** Shared by every request waiting for this batch's next upstream answer. */
  waiter: Waiter | null
}

/** A request that waits for an upstream call; any other answer is the response itself. */
interface Waiting {
  waiting: Promise<EnrichmentResponse>
  served: 'fresh' | 'shared'
  entry: Entry
}
type Answer = EnrichmentResponse | Waiting

interface Failure extends SnapshotError {
  code: UpstreamErrorCode
  retryAfterMs: number | undefined
}

/**
 * The only path from viewers to Woodpecker: one worker owns the upstream slot(s) and decides what
 * is fetched when; requests are answered from snapshots whenever that is honest. See
 * docs/decisions/001-upstream-scheduler.md.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { client, settings, mode } = deps
  const now = deps.now ?? (() => Date.now())
  const random = deps.random ?? Math.random
  const concurrency = Math.max(1, Math.floor(settings.concurrency))

  // Insertion order is recency order: a request moves its entry to the end.
  const entries = new Map<string, Entry>()
  // First fetches in arrival order; they go before any refresh.
  const queue = new Set<Entry>()
  const due = new Set<Entry>()

  let inFlight = 0
  let upstreamCalls = 0
  let latencyMs = 0
  let observedCalls = 0
  let lastEndAt = Number.NEGATIVE_INFINITY
  let consecutiveFailures = 0
  let pausedUntil = 0
  let pauseError: Failure | null = null
  let wakeTimer: ReturnType<typeof setTimeout> | null = null
  let closed = false

  function get(
    uuid: string,
    options: GetOptions = {},
  ): EnrichmentResponse | Promise<EnrichmentResponse> {
    const { onServed, revalidate = false } = options
    let answered: Answer
    try {
      answered = answer(uuid, now(), revalidate)
    } catch (error) {
      return Promise.reject(error)
    }
    if (!('waiting' in answered)) {
      onServed?.({ served: answered.meta.stale ? 'stale' : 'cached', upstreamMs: null })
      return answered
    }
    if (!onServed) return answered.waiting
    const { entry, served } = answered
    return answered.waiting.then((response) => {
      onServed({ served: response.meta.stale ? 'stale' : served, upstreamMs: entry.lastCallMs })
      return response
    })
  }

  function answer(uuid: string, t: number, revalidate: boolean): Answer {
    if (closed) throw shutdownError()
    let entry = entries.get(uuid)
    let lapsed = false
    if (entry) {
      lapsed = t - entry.lastRequestedAt > settings.watchTtlMs
      // Insertion order is recency order.
      entries.delete(uuid)
      entries.set(uuid, entry)
      entry.lastRequestedAt = t
    } else {
      entry = create(uuid, t)
    }
    if (entry.notFoundUntil > t) throw notFoundError(uuid)
    const snapshot = entry.snapshot
    // Someone is already waiting for this batch's next answer: wait with them, unless this viewer
    // is content with a snapshot that is still worth showing (the common poll of a watched batch).
    const tooOld = snapshot !== null && t - snapshot.fetchedAt > settings.watchTtlMs
    if (entry.waiter && (!snapshot || lapsed || revalidate || tooOld)) {
      return { waiting: entry.waiter.promise, served: 'shared', entry }
    }

    if (snapshot) {
      const age = t - snapshot.fetchedAt
      const freshFor = snapshot.complete
        ? Math.max(settings.completeMs, settings.freshMs)
        : settings.freshMs
      if (age < freshFor) return respond(entry, t)
      // A watched batch is kept as current as the slot allows: answer now, refresh in turn.
      // One nobody watched for a while may be far behind, so that first viewer waits instead,
      // and so does a viewer who asked for current data.
      if (!lapsed && !revalidate) {
        if (!entry.inFlight) due.add(entry)
        pump()
        return respond(entry, t)
      }
    } else if (entry.failedUntil > t && entry.lastError) {
      throw failureError(entry.lastError, entry.failedUntil - t)
    }

    if (entry.inFlight) return { waiting: wait(entry), served: 'fresh', entry }
    if (pausedUntil > t && pauseError) {
      if (snapshot) return respond(entry, t, pauseError)
      throw failureError(pauseError, pausedUntil - t)
    }
    if (queue.size >= settings.queueLimit) {
      const busy = busyError(t)
      if (snapshot) return respond(entry, t, { code: 'busy', details: busy.details })
      throw busy
    }
    queue.add(entry)
    const waiting = wait(entry)
    pump()
    return { waiting, served: 'fresh', entry }
  }

  function create(uuid: string, t: number): Entry {
    makeRoom(t)
    const entry: Entry = {
      uuid,
      snapshot: null,
      lastError: null,
      lastRequestedAt: t,
      lastAttemptAt: Number.NEGATIVE_INFINITY,
      notFoundUntil: 0,
      failedUntil: 0,
      inFlight: false,
      lastCallMs: null,
      waiter: null,
    }
    entries.set(uuid, entry)
    return entry
  }

  function makeRoom(t: number): void {
    if (entries.size < settings.maxBatches) return
    for (const entry of entries.values()) {
      if (entry.waiter || entry.inFlight || queue.has(entry)) continue
      entries.delete(entry.uuid)
      due.delete(entry)
      if (entries.size < settings.maxBatches) return
    }
    throw busyError(t)
  }

  function wait(entry: Entry): Promise<EnrichmentResponse> {
    if (entry.waiter) return entry.waiter.promise
    let resolve: Waiter['resolve'] = () => {}
    let reject: Waiter['reject'] = () => {}
    const promise = new Promise<EnrichmentResponse>((res, rej) => {
      resolve = res
      reject = rej
    })
    // Every caller awaits this promise; the no-op only keeps a rejection nobody awaits any more
    // (all viewers gone) from surfacing as an unhandled rejection.
    promise.catch(() => {})
    entry.waiter = { promise, resolve, reject }
    return promise
  }

  function settleWaiter(entry: Entry, settle: (waiter: Waiter) => void): void {
    const waiter = entry.waiter
    if (!waiter) return
    entry.waiter = null
    settle(waiter)
  }

  function pump(): void {
    if (closed) return
    if (wakeTimer) {
      clearTimeout(wakeTimer)
      wakeTimer = null
    }
    while (inFlight < concurrency) {
      const t = now()
      const readyAt = Math.max(lastEndAt + settings.minGapMs, pausedUntil)
      if (t < readyAt) {
        if (queue.size > 0 || due.size > 0) wakeTimer = setTimeout(pump, readyAt - t)
        return
      }
      const entry = nextJob(t)
      if (!entry) return
      void run(entry)
    }
  }

  function nextJob(t: number): Entry | null {
    for (const entry of queue) {
      queue.delete(entry)
      return entry
    }
    let best: Entry | null = null
    for (const entry of due) {
      if (entry.inFlight || t - entry.lastRequestedAt > settings.watchTtlMs) {
        due.delete(entry)
        continue
      }
      if (!best || entry.lastAttemptAt < best.lastAttemptAt) best = entry
    }
    if (best) due.delete(best)
    return best
  }

  async function run(entry: Entry): Promise<void> {
    inFlight += 1
    upstreamCalls += 1
    entry.inFlight = true
    queue.delete(entry)
    due.delete(entry)
    const startedAt = now()
    entry.lastAttemptAt = startedAt

    let data: LeadEnrichment | null = null
    let failure: Failure | null = null
    try {
      // Only the uuid: a viewer who leaves must not abort a call others are waiting for.
      data = await client.getEnrichment(entry.uuid)
    } catch (error) {
      failure = toFailure(error)
    }

    const endedAt = now()
    inFlight -= 1
    entry.inFlight = false
    lastEndAt = endedAt
    entry.lastCallMs = endedAt - startedAt
    // A call that ran into the deadline says how long we waited, not how long Woodpecker takes
    // to answer: averaging it in would slow every viewer's polling for minutes after one hang.
    // The backoff after the failure is what slows the slot down.
    if (failure?.code !== 'upstream_timeout') observeLatency(endedAt - startedAt)
    if (closed) return
    if (data) succeed(entry, data, endedAt)
    else if (failure) fail(entry, failure, endedAt)
    pump()
  }

  function succeed(entry: Entry, data: LeadEnrichment, t: number): void {
    consecutiveFailures = 0
    entry.snapshot = {
      data,
      fetchedAt: t,
      fetchedAtIso: new Date(t).toISOString(),
      complete: isComplete(data),
    }
    entry.lastError = null
    entry.failedUntil = 0
    entry.notFoundUntil = 0
    settleWaiter(entry, (waiter) => waiter.resolve(respond(entry, t)))
  }

  function fail(entry: Entry, failure: Failure, t: number): void {
    if (failure.code === 'not_found') {
      // Woodpecker's word on this batch, not a sign of trouble: no backoff, just memory.
      entry.snapshot = null
      entry.lastError = null
      entry.notFoundUntil = t + settings.notFoundMs
      due.delete(entry)
      settleWaiter(entry, (waiter) => waiter.reject(notFoundError(entry.uuid)))
      return
    }

    consecutiveFailures += 1
    pausedUntil = Math.max(pausedUntil, t + pauseFor(failure))
    pauseError = failure
    const error: SnapshotError = { code: failure.code, details: failure.details }
    entry.lastError = error
    if (!entry.snapshot) entry.failedUntil = pausedUntil
    answerWithFailure(entry, error, t)

    // Waiting through the pause would only hang viewers: answer every queued first fetch now.
    for (const queued of queue) answerWithFailure(queued, error, t)
    queue.clear()
  }

  function answerWithFailure(entry: Entry, error: SnapshotError, t: number): void {
    settleWaiter(entry, (waiter) => {
      if (entry.snapshot) waiter.resolve(respond(entry, t, error))
      else waiter.reject(failureError(error, Math.max(0, pausedUntil - t)))
    })
  }

  function pauseFor(failure: Failure): number {
    if (failure.code === 'upstream_throttled' && failure.retryAfterMs !== undefined) {
      return Math.min(Math.max(0, failure.retryAfterMs), settings.backoffMaxMs)
    }
    const exponential = Math.min(
      settings.backoffMaxMs,
      settings.backoffBaseMs * 2 ** (consecutiveFailures - 1),
    )
    // Jitter only lengthens the pause, so viewers' retries and other integrations spread out.
    return Math.min(settings.backoffMaxMs, exponential * (1 + random()))
  }

  function observeLatency(durationMs: number): void {
    observedCalls += 1
    latencyMs =
      observedCalls === 1 ? durationMs : latencyMs + LATENCY_WEIGHT * (durationMs - latencyMs)
  }

  function respond(entry: Entry, t: number, error?: SnapshotError): EnrichmentResponse {
    const snapshot = entry.snapshot
    if (!snapshot) throw new Error(`no snapshot for ${entry.uuid}`)
    const shown = error ?? entry.lastError
    return {
      lead_enrichment: snapshot.data,
      meta: {
        fetched_at: snapshot.fetchedAtIso,
        age_ms: Math.max(0, t - snapshot.fetchedAt),
        stale: shown !== null,
        error: shown ? { code: shown.code, details: shown.details } : null,
        complete: snapshot.complete,
        next_poll_ms: nextPollMs(entry, t, snapshot.complete),
        mode,
      },
    }
  }

  /**
   * With W batches watched, the worker gets back to each one about every W × (L + gap) / slots;
   * polling faster than that only returns the same snapshot. When this batch's refresh is already
   * queued or running, the viewer is told to come back about when it lands instead, so that the
   * poll that asked for it is followed closely by the one that sees it.
   */
  function nextPollMs(entry: Entry, t: number, complete: boolean): number {
    let advice = settings.pollMaxMs
    if (!complete) {
      const perCall = (latencyMs + settings.minGapMs) / concurrency
      const cycle = Math.max(1, countWatched(t, false)) * perCall
      advice = Math.max(settings.freshMs, cycle)
      if (entry.inFlight || due.has(entry)) {
        advice = Math.min(advice, (due.size + queue.size) * perCall + latencyMs)
      }
      advice = Math.max(advice, pausedUntil - t)
    }
    return Math.round(Math.min(settings.pollMaxMs, Math.max(settings.pollMinMs, advice)))
  }

  function countWatched(t: number, includeComplete: boolean): number {
    let count = 0
    for (const entry of entries.values()) {
      if (t - entry.lastRequestedAt > settings.watchTtlMs) continue
      if (!includeComplete && entry.snapshot?.complete) continue
      count += 1
    }
    return count
  }

  function busyError(t: number): ApiError {
    const perCall = (latencyMs + settings.minGapMs) / concurrency
    const estimate = (queue.size + inFlight) * perCall + Math.max(0, pausedUntil - t)
    return new ApiError(
      'busy',
      503,
      'Too many batches are waiting for Woodpecker; try again shortly',
      {
        retryAfterMs: Math.max(settings.pollMinMs, Math.ceil(estimate)),
      },
    )
  }

  function close(): void {
    if (closed) return
    closed = true
    if (wakeTimer) clearTimeout(wakeTimer)
    wakeTimer = null
    for (const entry of entries.values()) {
      settleWaiter(entry, (waiter) => waiter.reject(shutdownError()))
    }
    queue.clear()
    due.clear()
  }

  function stats(): SchedulerStats {
    const t = now()
    let cached = 0
    for (const entry of entries.values()) if (entry.snapshot) cached += 1
    return {
      watched: countWatched(t, true),
      cached,
      queued: queue.size,
      due: due.size,
      inFlight,
      upstreamCalls,
      latencyMs: Math.round(latencyMs),
      pausedUntil: pausedUntil > t ? new Date(pausedUntil).toISOString() : null,
    }
  }

  return { get, stats, close }
}

function toFailure(error: unknown): Failure {
  if (error instanceof UpstreamError) {
    return { code: error.code, details: error.details, retryAfterMs: error.retryAfterMs }
  }
  return {
    code: 'upstream_error',
    details: 'The request to Woodpecker failed unexpectedly',
    retryAfterMs: undefined,
  }
}

function failureError(error: SnapshotError, retryAfterMs: number): ApiError {
  const status = STATUS_BY_CODE[error.code as UpstreamErrorCode] ?? 502
  return new ApiError(error.code, status, error.details, {
    retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)),
  })
}

function notFoundError(uuid: string): ApiError {
  return new ApiError('not_found', 404, `Lead enrichment with uuid ${uuid} was not found`)
}

function shutdownError(): ApiError {
  return new ApiError('busy', 503, 'The server is shutting down', { retryAfterMs: 5_000 })
}
