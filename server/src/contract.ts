// Types and pure helpers shared by the server and the browser. No Node imports here:
// the SPA bundles this file.

/** A canonical UUID in any letter case. Any version: Woodpecker's examples are v4, but nothing promises it. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** The batch id the server accepts: a canonical UUID, lower-cased. Anything else is null. */
export function parseBatchId(value: string): string | null {
  return value.length === 36 && CANONICAL_UUID.test(value) ? value.toLowerCase() : null
}

/**
 * Every distinct batch id inside pasted text (a bare UUID, a Woodpecker URL, a JSON snippet),
 * lower-cased, in order of first appearance. A UUID glued to more hex digits is not a UUID.
 */
export function findBatchIds(text: string): string[] {
  const found: string[] = []
  for (const match of text.matchAll(UUID_IN_TEXT)) {
    const before = text[match.index - 1]
    const after = text[match.index + match[0].length]
    if (isHexOrDash(before) || isHexOrDash(after)) continue
    const id = match[0].toLowerCase()
    if (!found.includes(id)) found.push(id)
  }
  return found
}

function isHexOrDash(char: string | undefined): boolean {
  return char !== undefined && /[0-9a-f-]/i.test(char)
}

// Woodpecker's enums are open: unknown values must render, never crash.
export type LeadStatus = 'PENDING' | 'PROCESSED' | (string & {})
export type ProcessingResult = 'CONVERTED_TO_PROSPECT' | 'NOT_CONVERTED_TO_PROSPECT' | (string & {})

export interface Lead {
  uid: string
  status: LeadStatus
  processing_result: ProcessingResult | null
}

export interface LeadEnrichment {
  uuid: string
  /** ISO 8601 with offset, as Woodpecker sends it. */
  created: string
  leads: Lead[]
}

/** A batch is final when no lead is PENDING: outcomes do not change afterwards. */
export function isComplete(enrichment: LeadEnrichment): boolean {
  return enrichment.leads.every((lead) => lead.status !== 'PENDING')
}

export type Mode = 'live' | 'demo'

export type ErrorCode =
  | 'invalid_uuid'
  | 'not_found'
  | 'upstream_unauthorized'
  | 'upstream_throttled'
  | 'busy'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'upstream_bad_response'
  // Beyond the upstream: the server's own guards.
  | 'unauthorized'
  | 'rate_limited'
  | 'method_not_allowed'
  | 'uri_too_long'
  | 'internal_error'

export interface SnapshotError {
  code: ErrorCode
  details: string
}

export interface EnrichmentMeta {
  /** When the snapshot was fetched from Woodpecker (ISO 8601, UTC). */
  fetched_at: string
  age_ms: number
  /** True when the last upstream attempt failed and this is the last good snapshot. */
  stale: boolean
  error: SnapshotError | null
  /** No lead is PENDING. */
  complete: boolean
  /** The server's advice for the next poll, given how busy the upstream slot is. */
  next_poll_ms: number
  mode: Mode
}

export interface EnrichmentResponse {
  lead_enrichment: LeadEnrichment
  meta: EnrichmentMeta
}

/** Every non-2xx under /api, in Woodpecker's own dialect plus a machine-readable code. */
export interface ApiErrorBody {
  title: string
  status: number
  details: string
  timestamp: string
  code: ErrorCode | (string & {})
}

export interface DemoBatch {
  uuid: string
  label: string
  description: string
}

export interface HealthResponse {
  status: 'ok'
  mode: Mode
  /** Demo mode only: batches a newcomer can open. */
  demo_batches?: DemoBatch[]
}
