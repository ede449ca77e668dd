import { act, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import {
  apiError,
  BATCH,
  batchCalls,
  enrichment,
  json,
  lead,
  mockFetch,
  renderApp,
} from '../test-utils'

const PATH = `/api/enrichments/${BATCH}`

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-12-04T19:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

async function advance(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms))
}

test('polls at the pace the server advises and stops when the batch is complete', async () => {
  const fetchMock = mockFetch({
    [PATH]: [
      json(enrichment([lead(1), lead(2)], { next_poll_ms: 5000 })),
      json(
        enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'), lead(2)], {
          next_poll_ms: 5000,
        }),
      ),
      json(
        enrichment([
          lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
          lead(2, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
        ]),
      ),
    ],
  })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  expect(batchCalls(fetchMock)).toBe(1)
  expect(document.title).toMatch(/^\(0\/2\)/)
  expect(screen.getByRole('region', { name: 'Updates' })).toHaveTextContent('Next check in 5s')

  await advance(4900)
  expect(batchCalls(fetchMock)).toBe(1)
  await advance(200)
  expect(batchCalls(fetchMock)).toBe(2)
  expect(document.title).toMatch(/^\(1\/2\)/)

  await advance(5100)
  expect(batchCalls(fetchMock)).toBe(3)
  expect(document.title).toMatch(/^✓ \(2\/2\)/)

  await advance(120_000)
  expect(batchCalls(fetchMock)).toBe(3)
})

test('a 404 is asked once and never polled', async () => {
  const fetchMock = mockFetch({ [PATH]: [apiError(404, 'not_found')] })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  expect(screen.getByRole('heading', { name: 'Batch not found' })).toBeInTheDocument()
  await advance(120_000)
  expect(batchCalls(fetchMock)).toBe(1)
})

test('a throttled answer is retried after Retry-After, not before', async () => {
  const fetchMock = mockFetch({
    [PATH]: [
      apiError(503, 'upstream_throttled', { 'retry-after': '9' }),
      json(enrichment([lead(1)])),
    ],
  })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  expect(screen.getByRole('heading', { name: 'Woodpecker is busy' })).toBeInTheDocument()
  expect(screen.getByText(/Retrying at/)).toBeInTheDocument()
  await advance(8900)
  expect(batchCalls(fetchMock)).toBe(1)
  await advance(200)
  expect(batchCalls(fetchMock)).toBe(2)
  expect(screen.getByRole('table')).toBeInTheDocument()
})

test('"Updated … ago" keeps ticking between polls', async () => {
  mockFetch({ [PATH]: [json(enrichment([lead(1)], { next_poll_ms: 60_000 }))] })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  const updates = screen.getByRole('region', { name: 'Updates' })
  expect(updates).toHaveTextContent('Updated just now')
  await advance(12_000)
  expect(updates).toHaveTextContent('Updated 12s ago')
})

test('pausing stops the checks and resuming starts them again', async () => {
  const fetchMock = mockFetch({ [PATH]: [json(enrichment([lead(1)], { next_poll_ms: 3000 }))] })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  fireEvent.click(screen.getByRole('button', { name: 'Pause updates' }))
  expect(within(screen.getByRole('region', { name: 'Updates' })).getByText('Paused')).toBeVisible()
  await advance(30_000)
  expect(batchCalls(fetchMock)).toBe(1)
  fireEvent.click(screen.getByRole('button', { name: 'Resume updates' }))
  await advance(3100)
  expect(batchCalls(fetchMock)).toBe(2)
})

test('a lead that changed since the last refresh flashes; unchanged leads do not', async () => {
  mockFetch({
    [PATH]: [
      json(enrichment([lead(1), lead(2)], { next_poll_ms: 2000 })),
      json(
        enrichment([lead(1), lead(2, 'PROCESSED', 'CONVERTED_TO_PROSPECT')], {
          next_poll_ms: 2000,
        }),
      ),
    ],
  })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  const rowOf = (n: number) =>
    screen.getByText(`0SVOUNZGlkzJ5fRrBxUdiQ_000${n}`).closest('tr') as HTMLElement
  expect(rowOf(2)).not.toHaveAttribute('data-changed')
  await advance(2100)
  expect(rowOf(2)).toHaveAttribute('data-changed', 'true')
  expect(rowOf(2).className).toMatch(/motion-safe:animate-flash/)
  expect(rowOf(1)).not.toHaveAttribute('data-changed')
})

test('each lead shows when this page saw it finish, and remembers it across a reload', async () => {
  mockFetch({
    [PATH]: [
      json(
        enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'), lead(2)], {
          next_poll_ms: 2000,
        }),
      ),
      json(
        enrichment([
          lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
          lead(2, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
        ]),
      ),
    ],
  })
  const first = renderApp(`/batches/${BATCH}`)
  await advance(0)
  await advance(2100)
  const rowOf = (n: number) =>
    screen.getByText(`0SVOUNZGlkzJ5fRrBxUdiQ_000${n}`).closest('tr') as HTMLElement
  expect(rowOf(1)).toHaveTextContent('before you opened')
  expect(rowOf(2)).toHaveTextContent('finished just now')
  await advance(125_000)
  expect(rowOf(2)).toHaveTextContent('finished 2 min ago')

  first.unmount()
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  expect(rowOf(2)).toHaveTextContent('finished 2 min ago')
})

test('announces milestones in the polite live region, not every poll', async () => {
  mockFetch({
    [PATH]: [
      json(enrichment([lead(1), lead(2), lead(3), lead(4)], { next_poll_ms: 2000 })),
      json(enrichment([lead(1), lead(2), lead(3), lead(4)], { next_poll_ms: 2000, age_ms: 5 })),
      json(
        enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'), lead(2), lead(3), lead(4)], {
          next_poll_ms: 2000,
        }),
      ),
      json(
        enrichment([
          lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
          lead(2, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
          lead(3, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
          lead(4, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
        ]),
      ),
    ],
  })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  const live = document.querySelector('[aria-live="polite"]') as HTMLElement
  expect(live).toHaveTextContent('')
  await advance(2100)
  expect(live).toHaveTextContent('')
  await advance(2100)
  expect(live).toHaveTextContent('25% processed: 1 of 4 leads.')
  await advance(2100)
  expect(live).toHaveTextContent('Batch done: all 4 leads processed, 1 converted, 3 not converted.')
})

test('says when the browser is offline', async () => {
  mockFetch({ [PATH]: [json(enrichment([lead(1)]))] })
  renderApp(`/batches/${BATCH}`)
  await advance(0)
  const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
  act(() => {
    window.dispatchEvent(new Event('offline'))
  })
  const updates = screen.getByRole('region', { name: 'Updates' })
  expect(within(updates).getByText('Browser offline')).toBeInTheDocument()
  expect(updates).toHaveTextContent('Checks resume when it reconnects')
  onLine.mockRestore()
})
