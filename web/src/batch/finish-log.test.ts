import { expect, test } from 'vitest'
import { lead } from '../test-utils'
import { observedFlips, parseFinishLog, recordSnapshot } from './finish-log'

test('the first snapshot marks already finished leads as "before watching"', () => {
  const log = recordSnapshot(null, [lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'), lead(2)], 100)
  expect(log).toEqual({ since: 100, pending: [lead(2).uid], finished: { [lead(1).uid]: null } })
})

test('a lead seen pending and then finished gets the moment of the snapshot', () => {
  const first = recordSnapshot(null, [lead(1), lead(2)], 100)
  const second = recordSnapshot(first, [lead(1, 'PROCESSED', null), lead(2)], 200)
  expect(second.finished).toEqual({ [lead(1).uid]: 200 })
  expect(observedFlips(second)).toEqual([200])
})

test('returns the same log when nothing changed, so nothing re-renders or re-saves', () => {
  const first = recordSnapshot(null, [lead(1), lead(2, 'PROCESSED', null)], 100)
  expect(recordSnapshot(first, [lead(1), lead(2, 'PROCESSED', null)], 300)).toBe(first)
})

test('parseFinishLog rejects junk from storage', () => {
  expect(parseFinishLog('x')).toBeNull()
  expect(parseFinishLog({ since: 1, pending: ['a', 2], finished: { a: 5, b: 'x' } })).toEqual({
    since: 1,
    pending: ['a'],
    finished: { a: 5 },
  })
})
