import type { LeadCounts } from './lead-counts'

const MILESTONES = [25, 50, 75, 100] as const

/** The highest milestone at or below `percent`, 0 when none. */
export function reachedMilestone(percent: number): number {
  let reached = 0
  for (const milestone of MILESTONES) if (percent >= milestone) reached = milestone
  return reached
}

export function milestoneMessage(milestone: number, counts: LeadCounts): string {
  if (milestone === 100) {
    return `Batch done: all ${counts.total} leads processed, ${counts.converted} converted, ${counts.notConverted} not converted.`
  }
  return `${milestone}% processed: ${counts.processed} of ${counts.total} leads.`
}
