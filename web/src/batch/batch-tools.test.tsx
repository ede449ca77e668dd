import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
import { BATCH, batchCalls, enrichment, json, lead, mockFetch, renderApp } from '../test-utils'

const PATH = `/api/enrichments/${BATCH}`
const LEADS = [
  lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
  lead(2),
  lead(3, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
  lead(4),
]

afterEach(() => {
  vi.unstubAllGlobals()
})

function bodyRows() {
  return within(screen.getByRole('table')).getAllByRole('row').slice(1)
}

test('a shared link with ?status and ?q opens the same filtered view', async () => {
  mockFetch({ [PATH]: [json(enrichment(LEADS))] })
  renderApp(`/batches/${BATCH}?status=pending&q=0004`)
  await screen.findByRole('table')
  expect(bodyRows()).toHaveLength(1)
  expect(bodyRows()[0]).toHaveTextContent('_0004')
  expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('pending')
  expect(screen.getByRole('searchbox', { name: 'Search lead id' })).toHaveValue('0004')
  expect(screen.getByText('1 of 4 shown')).toBeInTheDocument()
})

test('filters, search and column sort are written to the address', async () => {
  mockFetch({ [PATH]: [json(enrichment(LEADS))] })
  const user = userEvent.setup()
  const app = renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  await user.selectOptions(screen.getByRole('combobox', { name: 'Result' }), 'not_converted')
  expect(app.location()).toBe(`/batches/${BATCH}?result=not_converted`)
  expect(bodyRows()).toHaveLength(1)

  await user.click(screen.getByRole('button', { name: 'Clear filters' }))
  await user.click(screen.getByRole('button', { name: /^Lead/ }))
  await user.click(screen.getByRole('button', { name: /^Lead/ }))
  expect(app.location()).toBe(`/batches/${BATCH}?sort=-uid`)
  expect(screen.getByRole('columnheader', { name: /Lead/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
  expect(bodyRows()[0]).toHaveTextContent('_0004')

  await user.type(screen.getByRole('searchbox', { name: 'Search lead id' }), '0003')
  expect(app.location()).toBe(`/batches/${BATCH}?sort=-uid&q=0003`)
})

test('Copy link, Copy summary and Copy UIDs put plain text on the clipboard', async () => {
  mockFetch({ [PATH]: [json(enrichment(LEADS))] })
  const user = userEvent.setup()
  const writeText = vi.fn(async () => {})
  renderApp(`/batches/${BATCH}?status=pending`)
  await screen.findByRole('table')
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })

  await user.click(screen.getByRole('button', { name: 'Copy link' }))
  expect(writeText).toHaveBeenLastCalledWith(window.location.href)
  expect(await screen.findByRole('button', { name: 'Link copied' })).toBeInTheDocument()

  await user.click(screen.getByRole('button', { name: 'Copy summary' }))
  expect(writeText).toHaveBeenLastCalledWith(
    expect.stringMatching(
      new RegExp(
        `^Enrichment batch ${BATCH}: 2/4 leads processed \\(50%\\), 1 converted, 1 not converted, 2 pending\\. `,
      ),
    ),
  )

  await user.click(screen.getByRole('button', { name: 'Copy UIDs' }))
  expect(writeText).toHaveBeenLastCalledWith(`${LEADS[1]?.uid}\n${LEADS[3]?.uid}`)
})

test('Download CSV saves the leads of the current view', async () => {
  mockFetch({ [PATH]: [json(enrichment(LEADS))] })
  const user = userEvent.setup()
  let saved: Blob | undefined
  vi.stubGlobal(
    'URL',
    Object.assign(URL, {
      createObjectURL: vi.fn((blob: Blob) => {
        saved = blob
        return 'blob:csv'
      }),
      revokeObjectURL: vi.fn(),
    }),
  )
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
  renderApp(`/batches/${BATCH}?result=converted`)
  await screen.findByRole('table')
  await user.click(screen.getByRole('button', { name: 'Download CSV' }))
  expect(click).toHaveBeenCalledTimes(1)
  expect(await saved?.text()).toBe(
    `uid,status,result,seen_finished_at\r\n${LEADS[0]?.uid},PROCESSED,CONVERTED_TO_PROSPECT,\r\n`,
  )
  click.mockRestore()
})

test('keyboard shortcuts: r refreshes, p pauses, / focuses search, ? opens help; not while typing', async () => {
  const fetchMock = mockFetch({ [PATH]: [json(enrichment(LEADS, { next_poll_ms: 60_000 }))] })
  const user = userEvent.setup()
  renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  expect(batchCalls(fetchMock)).toBe(1)

  await user.keyboard('r')
  await vi.waitFor(() => expect(batchCalls(fetchMock)).toBe(2))

  await user.keyboard('p')
  expect(screen.getByRole('button', { name: 'Resume updates' })).toBeInTheDocument()

  await user.keyboard('/')
  const search = screen.getByRole('searchbox', { name: 'Search lead id' })
  expect(search).toHaveFocus()
  await user.keyboard('rp?')
  expect(search).toHaveValue('rp?')
  expect(batchCalls(fetchMock)).toBe(2)
  expect(screen.getByRole('button', { name: 'Resume updates' })).toBeInTheDocument()
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument()

  search.blur()
  await user.keyboard('?')
  const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' })
  expect(dialog).toHaveTextContent('Pause or resume updates')
  await user.click(within(dialog).getByRole('button', { name: 'Close' }))
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
})

test('asks for notification permission only on opt-in, then notifies once when done', async () => {
  const created: { title: string; body: string | undefined }[] = []
  const requestPermission = vi.fn(async () => {
    FakeNotification.permission = 'granted'
    return 'granted' as const
  })
  class FakeNotification {
    static permission: NotificationPermission = 'default'
    static requestPermission = requestPermission
    constructor(title: string, options?: NotificationOptions) {
      created.push({ title, body: options?.body })
    }
  }
  vi.stubGlobal('Notification', FakeNotification)
  mockFetch({
    [PATH]: [
      json(enrichment([lead(1), lead(2)], { next_poll_ms: 60_000 })),
      json(
        enrichment([
          lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
          lead(2, 'PROCESSED', 'NOT_CONVERTED_TO_PROSPECT'),
        ]),
      ),
    ],
  })
  const user = userEvent.setup()
  renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  expect(requestPermission).not.toHaveBeenCalled()

  await user.click(screen.getByRole('button', { name: 'Notify me when done' }))
  expect(requestPermission).toHaveBeenCalledTimes(1)
  expect(screen.getByRole('button', { name: 'Notify me when done' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await user.click(screen.getByRole('button', { name: 'Refresh now' }))
  await vi.waitFor(() => expect(created).toHaveLength(1))
  expect(created[0]).toEqual({
    title: `✓ Batch ${BATCH.slice(0, 8)} is done`,
    body: '2 leads processed: 1 converted, 1 not converted.',
  })
})

test('no notification for a batch that was already done when opened', async () => {
  const created: string[] = []
  vi.stubGlobal(
    'Notification',
    class {
      static permission = 'granted'
      constructor(title: string) {
        created.push(title)
      }
    },
  )
  mockFetch({ [PATH]: [json(enrichment([lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT')]))] })
  renderApp(`/batches/${BATCH}`)
  await screen.findByRole('table')
  expect(screen.queryByRole('button', { name: 'Notify me when done' })).not.toBeInTheDocument()
  expect(created).toEqual([])
})
