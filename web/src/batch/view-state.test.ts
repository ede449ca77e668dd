import { expect, test } from 'vitest'
import { lead } from '../test-utils'
import { applyView, DEFAULT_VIEW, nextSort, parseViewState, writeViewState } from './view-state'

test('reads filters, search and a descending sort from the query string', () => {
  expect(
    parseViewState(new URLSearchParams('status=pending&result=converted&q=_00&sort=-finished')),
  ).toEqual({
    status: 'pending',
    result: 'converted',
    q: '_00',
    sort: { key: 'finished', desc: true },
  })
})

test('falls back to defaults for unknown values in a shared link', () => {
  expect(parseViewState(new URLSearchParams('status=weird&result=1&sort=-colour'))).toEqual(
    DEFAULT_VIEW,
  )
})

test('writes only what differs from the default and keeps unrelated parameters', () => {
  const params = writeViewState(new URLSearchParams('utm=x&status=pending'), {
    ...DEFAULT_VIEW,
    sort: { key: 'uid', desc: false },
  })
  expect(params.toString()).toBe('utm=x&sort=uid')
})

test('cycles a column sort: ascending, descending, off', () => {
  expect(nextSort(null, 'uid')).toEqual({ key: 'uid', desc: false })
  expect(nextSort({ key: 'uid', desc: false }, 'uid')).toEqual({ key: 'uid', desc: true })
  expect(nextSort({ key: 'uid', desc: true }, 'uid')).toBeNull()
  expect(nextSort({ key: 'uid', desc: true }, 'status')).toEqual({ key: 'status', desc: false })
})

const leads = [
  lead(3, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
  lead(1),
  lead(2, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
  lead(10, 'FAILED', null),
]
const uids = (list: { uid: string }[]) => list.map((item) => item.uid.slice(-2))

test('filters by status (processed includes unknown final statuses) and result', () => {
  expect(uids(applyView(leads, { ...DEFAULT_VIEW, status: 'pending' }, {}))).toEqual(['01'])
  expect(uids(applyView(leads, { ...DEFAULT_VIEW, status: 'processed' }, {}))).toEqual([
    '03',
    '02',
    '10',
  ])
  expect(uids(applyView(leads, { ...DEFAULT_VIEW, result: 'not_converted' }, {}))).toEqual(['03'])
})

test('searches uids case-insensitively', () => {
  expect(uids(applyView(leads, { ...DEFAULT_VIEW, q: 'zgLKZJ5FRRBXUDIQ_0002' }, {}))).toEqual([
    '02',
  ])
})

test('sorts by uid naturally and by finish time with pending last', () => {
  expect(uids(applyView(leads, { ...DEFAULT_VIEW, sort: { key: 'uid', desc: true } }, {}))).toEqual(
    ['10', '03', '02', '01'],
  )
  const finished = { [lead(3).uid]: 500, [lead(2).uid]: 100, [lead(10).uid]: null }
  expect(
    uids(applyView(leads, { ...DEFAULT_VIEW, sort: { key: 'finished', desc: false } }, finished)),
  ).toEqual(['10', '02', '03', '01'])
})
