import { type Estimate, formatEstimate } from './estimate'
import type { LeadCounts } from './lead-counts'

/** One plain-text paragraph to paste into a chat or a ticket. */
export function batchSummary(input: {
  uuid: string
  counts: LeadCounts
  estimate: Estimate
  link: string
}): string {
  const { uuid, counts, estimate, link } = input
  const outcome = `${counts.converted} converted, ${counts.notConverted} not converted`
  if (counts.pending === 0) {
    return `Enrichment batch ${uuid} is done: ${counts.processed}/${counts.total} leads processed (100%), ${outcome}. ${link}`
  }
  const eta = estimate.kind === 'eta' ? ` ${capitalize(formatEstimate(estimate))}.` : ''
  return `Enrichment batch ${uuid}: ${counts.processed}/${counts.total} leads processed (${counts.percent}%), ${outcome}, ${counts.pending} pending.${eta} ${link}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
