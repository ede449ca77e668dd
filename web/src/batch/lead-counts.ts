import type { Lead } from '@enrichment-watch/server/contract'

export interface LeadCounts {
  total: number
  /** Every lead that is no longer PENDING, whatever status replaced it. */
  processed: number
  pending: number
  converted: number
  notConverted: number
  /** Processed with a result this page does not know (or none). */
  otherResult: number
  /** 0–100, rounded down so 100 means truly all. */
  percent: number
}

export function countLeads(leads: readonly Lead[]): LeadCounts {
  let pending = 0
  let converted = 0
  let notConverted = 0
  for (const lead of leads) {
    if (lead.status === 'PENDING') pending++
    else if (lead.processing_result === 'CONVERTED_TO_PROSPECT') converted++
    else if (lead.processing_result === 'NOT_CONVERTED_TO_PROSPECT') notConverted++
  }
  const total = leads.length
  const processed = total - pending
  return {
    total,
    processed,
    pending,
    converted,
    notConverted,
    otherResult: processed - converted - notConverted,
    percent: total === 0 ? 100 : Math.floor((processed / total) * 100),
  }
}
