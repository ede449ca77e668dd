import { findBatchIds, parseBatchId } from '@enrichment-watch/server/contract'
import { expect, test } from 'vitest'

const ID = '088e2d8a-d8ac-41fc-969f-0ba4102682ac'
const OTHER = 'f47ac10b-58cc-4372-a567-0e02b2c3d479'

test('finds a bare id with surrounding whitespace and lower-cases it', () => {
  expect(findBatchIds(`  \n\t${ID.toUpperCase()}  \n`)).toEqual([ID])
})

test('finds the id inside a Woodpecker URL and inside a JSON snippet', () => {
  expect(findBatchIds(`https://app.woodpecker.co/lead-finder/enrichments/${ID}?tab=1`)).toEqual([
    ID,
  ])
  expect(findBatchIds(`{"lead_enrichment":{"uuid":"${ID}","created":"2026-05-01"}}`)).toEqual([ID])
})

test('returns several ids in order of appearance, each once', () => {
  expect(findBatchIds(`${OTHER}\n${ID}, ${OTHER.toUpperCase()}`)).toEqual([OTHER, ID])
})

test('finds nothing in text without an id, or in an id glued to more hex', () => {
  expect(findBatchIds('batch from tuesday, see ticket 4411')).toEqual([])
  expect(findBatchIds('088e2d8a-d8ac-41fc-969f-0ba4102682')).toEqual([])
  expect(findBatchIds(`a${ID}`)).toEqual([])
  expect(findBatchIds(`${ID}0`)).toEqual([])
  expect(findBatchIds(`${ID}-1`)).toEqual([])
})

test('parseBatchId accepts only a whole canonical id', () => {
  expect(parseBatchId(ID.toUpperCase())).toBe(ID)
  expect(parseBatchId(` ${ID}`)).toBeNull()
  expect(parseBatchId('..%2F..%2Fv1%2Fme')).toBeNull()
})
