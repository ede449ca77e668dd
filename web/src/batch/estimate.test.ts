import { expect, test } from 'vitest'
import { estimateCompletion, formatEstimate, isStalled, STALL_MS } from './estimate'

const since = 1_000_000

test('says "estimating…" until enough leads were seen finishing over enough time', () => {
  expect(estimateCompletion({ flips: [], since, now: since + 120_000, pending: 5 })).toEqual({
    kind: 'estimating',
  })
  expect(
    estimateCompletion({
      flips: [since + 1000, since + 2000],
      since,
      now: since + 5000,
      pending: 5,
    }),
  ).toEqual({ kind: 'estimating' })
})

test('derives rate and time left from the flips observed since watching began', () => {
  const flips = Array.from({ length: 12 }, (_, i) => since + i * 5000)
  const estimate = estimateCompletion({ flips, since, now: since + 60_000, pending: 24 })
  expect(estimate).toEqual({ kind: 'eta', perMinute: 12, msLeft: 120_000 })
  expect(formatEstimate(estimate)).toBe('about 2 min left · 12 leads/min')
})

test('says less than a minute and shows a fractional slow rate', () => {
  expect(formatEstimate({ kind: 'eta', msLeft: 20_000, perMinute: 2.5 })).toBe(
    'less than a minute left · 2.5 leads/min',
  )
})

test('is done when nothing is pending', () => {
  expect(estimateCompletion({ flips: [], since, now: since, pending: 0 })).toEqual({ kind: 'done' })
})

test('a batch is stalled only with pending leads and no flip for several minutes', () => {
  const now = since + STALL_MS + 1000
  expect(isStalled({ flips: [], since, now, pending: 3 })).toBe(true)
  expect(isStalled({ flips: [now - 60_000], since, now, pending: 3 })).toBe(false)
  expect(isStalled({ flips: [], since, now, pending: 0 })).toBe(false)
  expect(isStalled({ flips: [], since, now: since + 60_000, pending: 3 })).toBe(false)
})
