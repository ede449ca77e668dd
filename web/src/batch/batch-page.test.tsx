import { fireEvent, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
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

test('shows the header, progress counts, bar and one row per lead', async () => {
  mockFetch({
    [PATH]: [
      json(
        enrichment([
          lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
          lead(2, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
          lead(3, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
          lead(4),
        ]),
      ),
    ],
  })
  renderApp(`/batches/${BATCH}`)
  expect(await screen.findByRole('heading', { name: /enrichment batch/i })).toHaveTextContent(BATCH)
  const created = screen.getByText(/\(.*ago\)|just now/, { selector: 'time' })
  expect(created).toHaveAttribute('datetime', '2026-12-04T19:00:00+01:00')

  const bar = screen.getByRole('progressbar', { name: 'Leads processed' })
  expect(bar).toHaveAttribute('aria-valuenow', '3')
  expect(bar).toHaveAttribute('aria-valuemax', '4')
  expect(bar).toHaveAttribute('aria-valuetext', '3 of 4 leads processed (75%)')

  const progress = screen.getByRole('region', { name: 'Progress' })
  expect(progress).toHaveTextContent('3/4')
  expect(within(progress).getByText('Converted').nextSibling).toHaveTextContent('1')
  expect(within(progress).getByText('Not converted').nextSibling).toHaveTextContent('2')
  expect(within(progress).getByText('Pending').nextSibling).toHaveTextContent('1')

  const table = screen.getByRole('table')
  const rows = within(table).getAllByRole('row').slice(1)
  expect(rows).toHaveLength(4)
  expect(rows[0]).toHaveTextContent('0SVOUNZGlkzJ5fRrBxUdiQ_0001')
  expect(within(rows[0] as HTMLElement).getByText('Processed')).toBeInTheDocument()
  expect(within(rows[0] as HTMLElement).getByText('Converted')).toBeInTheDocument()
  expect(within(rows[3] as HTMLElement).getByText('Pending')).toBeInTheDocument()
  expect(document.title).toBe(`(3/4) Batch ${BATCH.slice(0, 8)} · Enrichment Watch`)
})

test('renders unknown statuses and results as their raw text instead of failing', async () => {
  mockFetch({
    [PATH]: [json(enrichment([lead(1, 'FAILED', 'MERGED_INTO_EXISTING'), lead(2, 'QUEUED')]))],
  })
  renderApp(`/batches/${BATCH}`)
  const table = await screen.findByRole('table')
  expect(within(table).getByText('FAILED')).toBeInTheDocument()
  expect(within(table).getByText('MERGED_INTO_EXISTING')).toBeInTheDocument()
  expect(within(table).getByText('QUEUED')).toBeInTheDocument()
  // An unknown result is neither converted nor not converted.
  expect(screen.getByRole('region', { name: 'Progress' })).toHaveTextContent('Other result')
})

test('a malformed id shows "invalid batch id" and never asks the server', async () => {
  const fetchMock = mockFetch({})
  renderApp('/batches/088e2d8a-d8ac-41fc-969f-0ba4102682ac..%2F')
  expect(screen.getByRole('heading', { name: 'Invalid batch id' })).toBeInTheDocument()
  expect(batchCalls(fetchMock)).toBe(0)
})

test('an upper-case id in the address is replaced by the canonical one', async () => {
  mockFetch({ [PATH]: [json(enrichment([lead(1)]))] })
  const app = renderApp(`/batches/${BATCH.toUpperCase()}?status=pending`)
  await screen.findByRole('table')
  expect(app.location()).toBe(`/batches/${BATCH}?status=pending`)
})

test('404 explains that the batch may belong to another Woodpecker account', async () => {
  mockFetch({ [PATH]: [apiError(404, 'not_found')] })
  renderApp(`/batches/${BATCH}`)
  expect(await screen.findByRole('heading', { name: 'Batch not found' })).toBeInTheDocument()
  expect(screen.getByText(/different Woodpecker account/)).toBeInTheDocument()
  expect(screen.getByText(/the id is wrong/)).toBeInTheDocument()
  expect(screen.queryByRole('button', { name: /try again/i })).not.toBeInTheDocument()
})

test.each([
  [
    'upstream_unauthorized',
    502,
    "The server's Woodpecker key was rejected",
    /not something you did/,
  ],
  ['upstream_throttled', 503, 'Woodpecker is busy', /Retrying at/],
  ['busy', 503, 'Woodpecker is busy', /too many requests waiting/],
  ['upstream_timeout', 504, 'Woodpecker had a problem', /did not answer in time/],
  ['upstream_error', 502, 'Woodpecker had a problem', /had an error answering/],
  ['upstream_bad_response', 502, 'Woodpecker had a problem', /something unexpected/],
])('error code %s (HTTP %i) shows "%s"', async (code, status, heading, detail) => {
  mockFetch({ [PATH]: [apiError(status, code, status === 503 ? { 'retry-after': '5' } : {})] })
  renderApp(`/batches/${BATCH}`)
  const title = await screen.findByRole('heading', { name: heading })
  expect(title.closest('section')).toHaveTextContent(detail)
})

test('a server that cannot be reached says so and offers to try again', async () => {
  mockFetch({
    [PATH]: [new TypeError('Failed to fetch'), json(enrichment([lead(1)]))],
  })
  const user = userEvent.setup()
  renderApp(`/batches/${BATCH}`)
  expect(await screen.findByRole('heading', { name: 'Server unreachable' })).toBeInTheDocument()
  await user.click(screen.getByRole('button', { name: 'Try again now' }))
  expect(await screen.findByRole('table')).toBeInTheDocument()
})

test('a failed refresh keeps the leads on screen and marks them as not fresh', async () => {
  mockFetch({
    [PATH]: [
      json(enrichment([lead(1), lead(2, 'PROCESSED', 'CONVERTED_TO_PROSPECT')])),
      apiError(504, 'upstream_timeout'),
    ],
  })
  const user = userEvent.setup()
  renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  await user.click(screen.getByRole('button', { name: 'Refresh now' }))
  const updates = screen.getByRole('region', { name: 'Updates' })
  expect(await within(updates).findByText('Woodpecker problem')).toBeInTheDocument()
  expect(updates).toHaveTextContent(/did not answer in time.*Showing the last good results/)
  expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(3)
})

test('"Refresh now" asks the server for current data; polls take its latest snapshot', async () => {
  const fetchMock = mockFetch({
    [PATH]: [
      json(enrichment([lead(1)])),
      json(enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT')])),
    ],
  })
  const user = userEvent.setup()
  renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  await user.click(screen.getByRole('button', { name: 'Refresh now' }))
  expect(await within(screen.getByRole('table')).findByText('Converted')).toBeInTheDocument()

  const cacheControl = fetchMock.mock.calls
    .filter(([input]) => String(input).startsWith('/api/enrichments/'))
    .map(([, init]) => new Headers(init?.headers).get('cache-control'))
  expect(cacheControl).toEqual([null, 'no-cache'])
})

test('a snapshot the server marks stale is shown with the reason', async () => {
  mockFetch({
    [PATH]: [
      json(
        enrichment([lead(1)], {
          stale: true,
          age_ms: 90_000,
          error: { code: 'upstream_error', details: 'Woodpecker answered 500' },
        }),
      ),
    ],
  })
  renderApp(`/batches/${BATCH}`)
  const updates = await screen.findByRole('region', { name: 'Updates' })
  expect(within(updates).getByText('Stale')).toBeInTheDocument()
  expect(updates).toHaveTextContent(/had an error answering.*from 1 min ago/)
  expect(updates).toHaveTextContent('Updated 1 min ago')
  expect(screen.getByRole('table')).toBeInTheDocument()
})

test.each([
  ['upstream_throttled' as const, 'Throttled', /Woodpecker is busy.*from 1 min ago/],
  [
    'upstream_unauthorized' as const,
    'Server key rejected',
    /not something you did.*from 1 min ago/,
  ],
])('a stale snapshot after %s is labelled %s, with the rows kept', async (code, label, says) => {
  mockFetch({
    [PATH]: [
      json(enrichment([lead(1)], { stale: true, age_ms: 90_000, error: { code, details: 'x' } })),
    ],
  })
  renderApp(`/batches/${BATCH}`)
  const updates = await screen.findByRole('region', { name: 'Updates' })
  expect(within(updates).getByText(label)).toBeInTheDocument()
  expect(updates).toHaveTextContent(says)
  expect(screen.getByRole('table')).toBeInTheDocument()
})

test('a complete batch puts ✓ in the title and offers no refresh controls', async () => {
  mockFetch({ [PATH]: [json(enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT')]))] })
  renderApp(`/batches/${BATCH}`)
  const updates = await screen.findByRole('region', { name: 'Updates' })
  expect(within(updates).getByText('Done')).toBeInTheDocument()
  expect(document.title).toBe(`✓ (1/1) Batch ${BATCH.slice(0, 8)} · Enrichment Watch`)
  expect(screen.queryByRole('button', { name: 'Refresh now' })).not.toBeInTheDocument()
})

test('an unknown address shows a not-found page', () => {
  mockFetch({})
  renderApp('/nowhere')
  expect(screen.getByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
})

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  fireEvent(document, new Event('visibilitychange'))
}

afterEach(() => {
  Reflect.deleteProperty(document, 'visibilityState')
  vi.restoreAllMocks()
})

test('coming back to the tab after a while says what finished meanwhile, until dismissed', async () => {
  mockFetch({
    [PATH]: [
      json(enrichment([lead(1), lead(2), lead(3)])),
      json(
        enrichment([
          lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
          lead(2, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
          lead(3),
        ]),
      ),
    ],
  })
  const user = userEvent.setup()
  renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  let now = Date.now()
  vi.spyOn(Date, 'now').mockImplementation(() => now)

  setVisibility('hidden')
  // The tab keeps checking while hidden; here one check brings two finished leads.
  await user.click(screen.getByRole('button', { name: 'Refresh now' }))
  expect(await screen.findByText('2/3')).toBeInTheDocument()
  expect(screen.queryByRole('region', { name: 'While you were away' })).not.toBeInTheDocument()
  now += 60_000
  setVisibility('visible')

  const away = await screen.findByRole('region', { name: 'While you were away' })
  expect(away).toHaveTextContent('While you were away: 2 processed (1 converted)')
  await user.click(within(away).getByRole('button', { name: 'Dismiss' }))
  expect(screen.queryByRole('region', { name: 'While you were away' })).not.toBeInTheDocument()
})

test('a batch with pending leads and no progress for several minutes says so, calmly', async () => {
  mockFetch({
    [PATH]: [json(enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'), lead(2)]))],
  })
  renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  const progress = screen.getByRole('region', { name: 'Progress' })
  expect(progress).not.toHaveTextContent(/No lead has finished/)

  const later = Date.now() + 5 * 60_000
  vi.spyOn(Date, 'now').mockImplementation(() => later)

  // The page's clock ticks every second; five minutes on, nothing has moved.
  expect(
    await within(progress).findByText(
      /No lead has finished for a few minutes/,
      {},
      { timeout: 3_000 },
    ),
  ).toHaveTextContent(/usually takes 1–4 minutes per batch/)
})
