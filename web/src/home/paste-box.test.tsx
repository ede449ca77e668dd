import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { expect, test } from 'vitest'
import { BATCH, batchCalls, enrichment, json, lead, mockFetch, renderApp } from '../test-utils'
import { getRecents } from './recent-batches-store'

const OTHER = 'f47ac10b-58cc-4372-a567-0e02b2c3d479'

test('opens the batch, lower-cased, from a pasted Woodpecker link', async () => {
  mockFetch({ [`/api/enrichments/${BATCH}`]: [json(enrichment([lead(1)]))] })
  const user = userEvent.setup()
  const app = renderApp('/')
  const box = screen.getByRole('textbox', { name: 'Batch UUID or link' })
  await user.click(box)
  await user.paste(`  https://app.woodpecker.co/enrichments/${BATCH.toUpperCase()}  `)
  await user.click(screen.getByRole('button', { name: 'Watch' }))
  expect(app.location()).toBe(`/batches/${BATCH}`)
  expect(await screen.findByRole('heading', { name: /enrichment batch/i })).toHaveTextContent(BATCH)
})

test('Enter in the box watches the batch', async () => {
  mockFetch({ [`/api/enrichments/${BATCH}`]: [json(enrichment([lead(1)]))] })
  const user = userEvent.setup()
  const app = renderApp('/')
  await user.type(screen.getByRole('textbox', { name: 'Batch UUID or link' }), `${BATCH}{Enter}`)
  expect(app.location()).toBe(`/batches/${BATCH}`)
})

test('text without an id shows an inline error, stays put and requests nothing', async () => {
  const fetchMock = mockFetch({})
  const user = userEvent.setup()
  const app = renderApp('/')
  const box = screen.getByRole('textbox', { name: 'Batch UUID or link' })
  await user.type(box, 'the batch from tuesday')
  await user.click(screen.getByRole('button', { name: 'Watch' }))
  expect(screen.getByRole('alert')).toHaveTextContent(/no batch id found/i)
  expect(box).toHaveAttribute('aria-invalid', 'true')
  expect(box).toHaveAccessibleDescription(/no batch id found/i)
  expect(app.location()).toBe('/')
  expect(batchCalls(fetchMock)).toBe(0)
})

test('several ids are all added to recent batches and listed, without navigating', async () => {
  const fetchMock = mockFetch({})
  const user = userEvent.setup()
  const app = renderApp('/')
  await user.click(screen.getByRole('textbox', { name: 'Batch UUID or link' }))
  await user.paste(`${BATCH}\n${OTHER}\n${BATCH}`)
  await user.click(screen.getByRole('button', { name: 'Watch' }))
  expect(app.location()).toBe('/')
  expect(screen.getByRole('status')).toHaveTextContent('Added 2 batches')
  expect(getRecents().map((item) => item.uuid)).toEqual([BATCH, OTHER])
  const recent = screen.getByRole('region', { name: 'Recent batches' })
  expect(within(recent).getByRole('link', { name: BATCH })).toHaveAttribute(
    'href',
    `/batches/${BATCH}`,
  )
  expect(within(recent).getByRole('link', { name: OTHER })).toBeInTheDocument()
  expect(batchCalls(fetchMock)).toBe(0)
})
