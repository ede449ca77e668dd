import type { LeadCounts } from './lead-counts'

/** Shorter absences (a glance at another tab) are not worth a summary. */
export const MIN_AWAY_MS = 15_000

/**
 * What happened while the tab was hidden, as one short line: "While you were away: 14 processed
 * (9 converted)". Null when the absence was short or nothing finished meanwhile.
 */
export function awaySummary(before: LeadCounts, after: LeadCounts, awayMs: number): string | null {
  if (awayMs < MIN_AWAY_MS) return null
  const processed = after.processed - before.processed
  if (processed <= 0) return null
  const converted = Math.max(0, after.converted - before.converted)
  const done = after.pending === 0 ? ' — the batch is done' : ''
  return `While you were away: ${processed} processed (${converted} converted)${done}`
}
