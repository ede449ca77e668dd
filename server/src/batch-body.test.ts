import { expect, test } from 'vitest'
import { renderBody } from './batch-body.ts'
import type { EnrichmentMeta, EnrichmentResponse, LeadEnrichment } from './contract.ts'

function batch(leads: number, uid = (i: number) => `lead-${i}`): LeadEnrichment {
  return {
    uuid: '088e2d8a-d8ac-41fc-969f-0ba4102682ac',
    created: '2026-12-04T19:00:00+01:00',
    leads: Array.from({ length: leads }, (_, i) => ({
      uid: uid(i),
      status: i % 3 === 0 ? 'PENDING' : 'PROCESSED',
      processing_result: i % 3 === 0 ? null : 'CONVERTED',
    })),
  }
}

function meta(overrides: Partial<EnrichmentMeta> = {}): EnrichmentMeta {
  return {
    fetched_at: '2026-12-04T19:00:00.000Z',
    age_ms: 1_200,
    stale: false,
    error: null,
    complete: false,
    next_poll_ms: 2_000,
    mode: 'live',
    ...overrides,
  }
}

function text(body: Uint8Array | string): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body)
}

test('a body is exactly the JSON of the response, whatever its meta says', () => {
  const leads = batch(20, (i) => `lead-${i}-Zoë-✓-😀-"quoted"-\\`)
  const metas: EnrichmentMeta[] = [
    meta(),
    meta({ age_ms: 0, next_poll_ms: 30_000, complete: true, mode: 'demo' }),
    meta({
      stale: true,
      error: { code: 'upstream_error', details: 'Woodpecker said "no" — résumé ✓ 😀\n' },
    }),
    meta({ stale: true, error: { code: 'upstream_throttled', details: 'Slow down' } }),
    meta({ age_ms: 12.5, next_poll_ms: 1e21 }),
    meta({ age_ms: Number.NaN, next_poll_ms: Number.POSITIVE_INFINITY }),
  ]
  for (const m of metas) {
    const response: EnrichmentResponse = { lead_enrichment: leads, meta: m }
    expect(text(renderBody(response))).toBe(JSON.stringify(response))
  }
})

test('polls of one snapshot get their own numbers and their own error, not the first poll’s', () => {
  const leads = batch(5)
  const polls: EnrichmentResponse[] = [
    { lead_enrichment: leads, meta: meta({ age_ms: 10, next_poll_ms: 1_000 }) },
    { lead_enrichment: leads, meta: meta({ age_ms: 2_345, next_poll_ms: 9_999 }) },
    {
      lead_enrichment: leads,
      meta: meta({ stale: true, error: { code: 'upstream_timeout', details: 'No answer' } }),
    },
    {
      lead_enrichment: leads,
      meta: meta({ stale: true, error: { code: 'upstream_timeout', details: 'Still none' } }),
    },
    {
      lead_enrichment: leads,
      meta: meta({ stale: true, error: { code: 'upstream_error', details: 'Still none' } }),
    },
    { lead_enrichment: leads, meta: meta({ fetched_at: '2026-12-04T19:00:05.000Z' }) },
    { lead_enrichment: leads, meta: meta() },
    // One field at a time, each against the plain meta before it.
    { lead_enrichment: leads, meta: meta({ stale: true }) },
    { lead_enrichment: leads, meta: meta() },
    { lead_enrichment: leads, meta: meta({ complete: true }) },
    { lead_enrichment: leads, meta: meta() },
    { lead_enrichment: leads, meta: meta({ mode: 'demo' }) },
    { lead_enrichment: leads, meta: meta() },
    { lead_enrichment: leads, meta: meta({ error: { code: 'upstream_error', details: 'same' } }) },
    {
      lead_enrichment: leads,
      meta: meta({ error: { code: 'upstream_timeout', details: 'same' } }),
    },
  ]
  for (const poll of polls) expect(JSON.parse(text(renderBody(poll)))).toEqual(poll)
})

test('bodies still waiting to be written are never overwritten by later ones', () => {
  // Small bodies share memory; hundreds of them span several shared blocks.
  const small = batch(10)
  const large = batch(2_000)
  const responses = Array.from({ length: 600 }, (_, i) => ({
    lead_enrichment: i % 100 === 0 ? large : small,
    meta: meta({ age_ms: i, next_poll_ms: 1_000 + i }),
  }))
  const bodies = responses.map((response) => renderBody(response))
  responses.forEach((response, i) => {
    expect(text(bodies[i] ?? '')).toBe(JSON.stringify(response))
  })
})
