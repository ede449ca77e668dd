import type { HealthResponse } from '@enrichment-watch/server/contract'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { expect, test } from 'vitest'
import { BATCH, json, mockFetch, renderApp } from '../test-utils'
import {
  addRecents,
  getRecents,
  parseRecents,
  RECENT_BATCHES_KEY,
  setRecentProgress,
} from './recent-batches-store'

const OTHER = 'f47ac10b-58cc-4372-a567-0e02b2c3d479'

test('addRecents puts the newest first and keeps one entry per batch', () => {
  const first = addRecents([], [BATCH], 1000)
  const second = addRecents(first, [OTHER], 2000)
  const again = addRecents(
    setRecentProgress(second, BATCH, { processed: 3, total: 9, complete: false }),
    [BATCH],
    3000,
  )
  expect(again.map((item) => item.uuid)).toEqual([BATCH, OTHER])
  expect(again[0]?.progress).toEqual({ processed: 3, total: 9, complete: false })
})

test('parseRecents drops malformed entries instead of failing', () => {
  expect(parseRecents('nope')).toEqual([])
  expect(
    parseRecents([{ uuid: 'x' }, null, { uuid: BATCH.toUpperCase(), lastOpenedAt: 5 }]),
  ).toEqual([{ uuid: BATCH, nickname: '', lastOpenedAt: 5, progress: null }])
})

test('lists recent batches with last known progress; rename and remove them', async () => {
  localStorage.setItem(
    RECENT_BATCHES_KEY,
    JSON.stringify([
      { uuid: OTHER, nickname: '', lastOpenedAt: Date.now() - 1000, progress: null },
      {
        uuid: BATCH,
        nickname: '',
        lastOpenedAt: Date.now(),
        progress: { processed: 12, total: 50, complete: false },
      },
    ]),
  )
  mockFetch({})
  const user = userEvent.setup()
  renderApp('/')
  const recent = screen.getByRole('region', { name: 'Recent batches' })
  const links = within(recent).getAllByRole('link')
  expect(links.map((link) => link.textContent)).toEqual([BATCH, OTHER])
  expect(recent).toHaveTextContent('12/50 processed when last seen')

  await user.click(within(recent).getByRole('button', { name: `Rename ${BATCH}` }))
  const field = within(recent).getByRole('textbox', { name: `Nickname for ${BATCH}` })
  await user.clear(field)
  await user.type(field, 'ACME import{Enter}')
  expect(within(recent).getByRole('link', { name: 'ACME import' })).toHaveAttribute(
    'href',
    `/batches/${BATCH}`,
  )
  expect(getRecents()[0]?.nickname).toBe('ACME import')

  await user.click(within(recent).getByRole('button', { name: 'Remove ACME import' }))
  expect(within(recent).queryByRole('link', { name: 'ACME import' })).not.toBeInTheDocument()
  expect(getRecents().map((item) => item.uuid)).toEqual([OTHER])
})

test('offers demo batches only when the server runs in demo mode', async () => {
  const health: HealthResponse = {
    status: 'ok',
    mode: 'demo',
    demo_batches: [{ uuid: BATCH, label: 'Fast batch', description: '10 leads, about a minute' }],
  }
  mockFetch({ '/api/health': [json(health)] })
  renderApp('/')
  const demo = await screen.findByRole('region', { name: 'Try a demo batch' })
  expect(within(demo).getByRole('link', { name: /fast batch/i })).toHaveAttribute(
    'href',
    `/batches/${BATCH}`,
  )
})

test('shows no demo list on a live server, whatever else the health answer holds', async () => {
  mockFetch({
    '/api/health': [
      json({
        status: 'ok',
        mode: 'live',
        demo_batches: [{ uuid: BATCH, label: 'X', description: '' }],
      }),
    ],
  })
  const app = renderApp('/')
  await waitFor(() => expect(app.queryClient.getQueryState(['health'])?.status).toBe('success'))
  expect(screen.queryByRole('region', { name: 'Try a demo batch' })).not.toBeInTheDocument()
})
