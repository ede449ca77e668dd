import type { Lead } from '@enrichment-watch/server/contract'

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would read as a formula gets a
 * leading apostrophe: lead ids come from elsewhere and must not execute when the file is opened.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export function leadsToCsv(
  leads: readonly Lead[],
  finished: Readonly<Record<string, number | null>>,
): string {
  const rows = [['uid', 'status', 'result', 'seen_finished_at']]
  for (const lead of leads) {
    const at = finished[lead.uid]
    rows.push([
      String(lead.uid),
      String(lead.status),
      lead.processing_result == null ? '' : String(lead.processing_result),
      typeof at === 'number' ? new Date(at).toISOString() : '',
    ])
  }
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
