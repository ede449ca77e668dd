import type { Mode } from '../contract.ts'
import type { EnrichmentSource, WoodpeckerClient } from './types.ts'

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
  watched: number
  cached: number
  queued: number
  inFlight: number
  upstreamCalls: number
  latencyMs: number
  pausedUntil: string | null
}

export function createScheduler(_deps: SchedulerDeps): Scheduler {
  throw new Error('not implemented yet')
}
