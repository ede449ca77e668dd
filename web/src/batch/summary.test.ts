import { expect, test } from 'vitest'
import { BATCH, lead } from '../test-utils'
import { countLeads } from './lead-counts'
import { batchSummary } from './summary'

const link = `https://watch.example/batches/${BATCH}`

test('summarises a running batch in one paragraph with percent, outcomes, ETA and link', () => {
  const counts = countLeads([
    lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
    lead(2, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
    lead(3),
    lead(4),
  ])
  const text = batchSummary({
    uuid: BATCH,
    counts,
    estimate: { kind: 'eta', msLeft: 120_000, perMinute: 12 },
    link,
  })
  expect(text).toBe(
    `Enrichment batch ${BATCH}: 2/4 leads processed (50%), 1 converted, 1 not converted, 2 pending. About 2 min left · 12 leads/min. ${link}`,
  )
  expect(text).not.toContain('\n')
})

test('summarises a done batch', () => {
  const counts = countLeads([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT')])
  expect(batchSummary({ uuid: BATCH, counts, estimate: { kind: 'done' }, link })).toBe(
    `Enrichment batch ${BATCH} is done: 1/1 leads processed (100%), 1 converted, 0 not converted. ${link}`,
  )
})
