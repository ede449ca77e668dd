import { expect, test } from 'vitest'
import { enrichment, lead } from '../test-utils'
import { ApiError } from './api-error'
import {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  type BatchPollState,
  batchRefetchInterval,
  POLL_MIN_MS,
} from './batch-query'

function state(partial: Partial<BatchPollState>): { state: BatchPollState } {
  return {
    state: {
      data: undefined,
      error: null,
      dataUpdatedAt: 0,
      errorUpdatedAt: 0,
      errorUpdateCount: 0,
      ...partial,
    },
  }
}

const running = enrichment([lead(1), lead(2, 'PROCESSED', 'CONVERTED_TO_PROSPECT')])
const error = (status: number, code: string, retryAfterMs: number | null = null) =>
  new ApiError({ status, code, details: '', retryAfterMs })

test('follows the server advice in meta.next_poll_ms', () => {
  const data = enrichment([lead(1)], { next_poll_ms: 7250 })
  expect(batchRefetchInterval(state({ data }))).toBe(7250)
})

test('never polls faster than the floor, even when told 0', () => {
  const data = enrichment([lead(1)], { next_poll_ms: 0 })
  expect(batchRefetchInterval(state({ data }))).toBe(POLL_MIN_MS)
})

test('stops polling once the batch is complete', () => {
  const data = enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT')])
  expect(data.meta.complete).toBe(true)
  expect(batchRefetchInterval(state({ data }))).toBe(false)
})

test('never polls again after 404 not_found or 400 invalid_uuid', () => {
  expect(batchRefetchInterval(state({ error: error(404, 'not_found') }))).toBe(false)
  expect(batchRefetchInterval(state({ error: error(400, 'invalid_uuid') }))).toBe(false)
  // Not even when old data is on screen.
  expect(batchRefetchInterval(state({ data: running, error: error(404, 'not_found') }))).toBe(false)
})

test('waits exactly Retry-After on a throttled or busy answer', () => {
  expect(batchRefetchInterval(state({ error: error(503, 'upstream_throttled', 9000) }))).toBe(9000)
  expect(batchRefetchInterval(state({ data: running, error: error(503, 'busy', 12_000) }))).toBe(
    12_000,
  )
})

test('backs off exponentially on failures before any data arrived', () => {
  const failing = (count: number) =>
    batchRefetchInterval(state({ error: error(0, 'network'), errorUpdateCount: count }))
  expect(failing(1)).toBe(BACKOFF_BASE_MS)
  expect(failing(2)).toBe(BACKOFF_BASE_MS * 2)
  expect(failing(3)).toBe(BACKOFF_BASE_MS * 4)
  expect(failing(20)).toBe(BACKOFF_MAX_MS)
})

test('backs off by how long it has been failing since the last good data', () => {
  const failingFor = (ms: number) =>
    batchRefetchInterval(
      state({
        data: running,
        dataUpdatedAt: 100_000,
        error: error(504, 'upstream_timeout'),
        errorUpdatedAt: 100_000 + ms,
      }),
    )
  expect(failingFor(500)).toBe(BACKOFF_BASE_MS)
  expect(failingFor(8000)).toBe(8000)
  expect(failingFor(600_000)).toBe(BACKOFF_MAX_MS)
})
