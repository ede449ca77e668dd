/** Leads have to be seen finishing for this long before a rate means anything. */
export const MIN_OBSERVATION_MS = 30_000
export const MIN_FLIPS = 2
/** No lead finished for this long while some are pending: say so, calmly. */
export const STALL_MS = 4 * 60_000

export type Estimate =
  | { kind: 'done' }
  | { kind: 'estimating' }
  | { kind: 'eta'; msLeft: number; perMinute: number }

/**
 * Rate from what this tab saw finish since it started watching, and time left at that rate.
 * Leads already done before watching began are not counted: their moment is unknown.
 */
export function estimateCompletion(input: {
  flips: readonly number[]
  since: number
  now: number
  pending: number
}): Estimate {
  if (input.pending === 0) return { kind: 'done' }
  const elapsed = input.now - input.since
  if (input.flips.length < MIN_FLIPS || elapsed < MIN_OBSERVATION_MS) return { kind: 'estimating' }
  const perMinute = input.flips.length / (elapsed / 60_000)
  return { kind: 'eta', msLeft: (input.pending / perMinute) * 60_000, perMinute }
}

export function isStalled(input: {
  flips: readonly number[]
  since: number
  now: number
  pending: number
}): boolean {
  if (input.pending === 0) return false
  const lastProgress = Math.max(input.since, ...input.flips)
  return input.now - lastProgress >= STALL_MS
}

/** "about 2 min left · 12 leads/min" */
export function formatEstimate(estimate: Estimate): string {
  if (estimate.kind === 'done') return 'done'
  if (estimate.kind === 'estimating') return 'estimating…'
  const minutes = Math.round(estimate.msLeft / 60_000)
  const left = minutes < 1 ? 'less than a minute left' : `about ${minutes} min left`
  const rate =
    estimate.perMinute >= 10 ? Math.round(estimate.perMinute) : estimate.perMinute.toFixed(1)
  return `${left} · ${rate} leads/min`
}
