import type { Lead } from '@enrichment-watch/server/contract'
import { expect, test } from 'vitest'
import { awaySummary, MIN_AWAY_MS } from './away-summary'
import { countLeads } from './lead-counts'

function leads(converted: number, notConverted: number, pending: number): Lead[] {
  const make = (status: string, result: string | null) => ({
    uid: 'x_0000',
    status,
    processing_result: result,
  })
  return [
    ...Array.from({ length: converted }, () => make('PROCESSED', 'CONVERTED_TO_PROSPECT')),
    ...Array.from({ length: notConverted }, () => make('PROCESSED', 'NOT_CONVERTED_TO_PROSPECT')),
    ...Array.from({ length: pending }, () => make('PENDING', null)),
  ]
}

test('says how many leads finished while the tab was hidden, and how many converted', () => {
  const before = countLeads(leads(1, 1, 20))
  const after = countLeads(leads(10, 6, 6))
  expect(awaySummary(before, after, 60_000)).toBe('While you were away: 14 processed (9 converted)')
})

test('says when the batch finished meanwhile', () => {
  const before = countLeads(leads(0, 0, 3))
  const after = countLeads(leads(2, 1, 0))
  expect(awaySummary(before, after, 60_000)).toBe(
    'While you were away: 3 processed (2 converted) — the batch is done',
  )
})

test('stays quiet after a short glance away or when nothing finished', () => {
  const before = countLeads(leads(1, 0, 5))
  expect(awaySummary(before, countLeads(leads(3, 0, 3)), MIN_AWAY_MS - 1)).toBeNull()
  expect(awaySummary(before, countLeads(leads(1, 0, 5)), 10 * 60_000)).toBeNull()
})
