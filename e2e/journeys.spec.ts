import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'
import {
  connectionLabel,
  expectProcessed,
  leadRow,
  leadRows,
  openBatch,
  progressRegion,
  recordEnrichmentRequests,
} from './support/batch-page.ts'
import { createBatch, flip } from './support/simulator.ts'

test('a pasted message containing a batch id opens the batch, which fills in live until it is done', async ({
  page,
}) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  await page.goto('/')

  await page
    .getByRole('textbox', { name: 'Batch UUID or link' })
    .fill(
      `Hi! Enrichment is queued, see https://app.woodpecker.co/leads/enrichments/${uuid.toUpperCase()}?tab=leads — thanks`,
    )
  await page.getByRole('button', { name: 'Watch' }).click()

  await expect(page).toHaveURL(`/batches/${uuid}`)
  await expect(page.getByRole('heading', { level: 1 })).toContainText(uuid)
  await expect(leadRows(page)).toHaveCount(3)
  await expect(leadRows(page).getByText('Pending', { exact: true })).toHaveCount(3)
  const short = uuid.slice(0, 8)
  await expect(page).toHaveTitle(`(0/3) Batch ${short} · Enrichment Watch`)
  await expect(connectionLabel(page, 'Live')).toBeVisible()

  await flip(uuid, 1)
  await expect(page).toHaveTitle(`(1/3) Batch ${short} · Enrichment Watch`)
  await expectProcessed(page, 1, 3)

  await flip(uuid, 2)
  await expect(page).toHaveTitle(`✓ (3/3) Batch ${short} · Enrichment Watch`)
  await expect(leadRows(page).getByText('Processed', { exact: true })).toHaveCount(3)
  await expect(leadRows(page).getByText('Pending', { exact: true })).toHaveCount(0)
  await expect(connectionLabel(page, 'Done')).toBeVisible()
  await expect(progressRegion(page).getByText('All leads processed')).toBeVisible()
})

test('a shared deep link opens the same batch in the same view, and a reload keeps both', async ({
  page,
}) => {
  const uuid = await createBatch({
    leads: 4,
    mode: 'manual',
    results: ['CONVERTED_TO_PROSPECT', 'NOT_CONVERTED_TO_PROSPECT', 'CONVERTED_TO_PROSPECT'],
  })
  await flip(uuid, 3)
  const all = await openBatch(page, uuid, 4)

  const link = `/batches/${uuid}?status=processed&result=converted&sort=-uid`
  await page.goto(link)
  const status = page.getByRole('combobox', { name: 'Status' })
  const result = page.getByRole('combobox', { name: 'Result' })
  const expectView = async () => {
    await expect(page).toHaveURL(link)
    await expect(status).toHaveValue('processed')
    await expect(result).toHaveValue('converted')
    await expect(page.getByRole('columnheader', { name: 'Lead' })).toHaveAttribute(
      'aria-sort',
      'descending',
    )
    // Leads 0 and 2 converted; sorted by id, descending.
    await expect(leadRows(page)).toHaveCount(2)
    await expect(leadRows(page).nth(0)).toContainText(all[2] ?? '')
    await expect(leadRows(page).nth(1)).toContainText(all[0] ?? '')
  }
  await expectView()

  await page.reload()
  await expectView()
  await expect(leadRow(page, all[1] ?? '')).toHaveCount(0)
})

test('a batch Woodpecker does not know explains what that usually means', async ({ page }) => {
  const unknown = randomUUID()
  await page.goto(`/batches/${unknown.toUpperCase()}`)

  await expect(page).toHaveURL(`/batches/${unknown}`)
  await expect(page.getByRole('heading', { name: 'Batch not found' })).toBeVisible()
  await expect(page.getByText(/belongs to a different Woodpecker account/)).toBeVisible()
  await expect(page.getByRole('link', { name: 'Watch another batch' })).toBeVisible()
  await expect(leadRows(page)).toHaveCount(0)
})

test('text without a batch id is refused inline, and nothing is asked of the server', async ({
  page,
}) => {
  const requests = recordEnrichmentRequests(page)
  await page.goto('/')
  const input = page.getByRole('textbox', { name: 'Batch UUID or link' })

  await input.fill('the batch from yesterday, id 088e2d8a-d8ac-41fc')
  await input.press('Enter')

  const alert = page.getByRole('alert')
  await expect(alert).toHaveText(/No batch id found/)
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  await expect(input).toHaveAccessibleDescription(/No batch id found/)
  await expect(page).toHaveURL('/')
  expect(requests).toEqual([])
})

test('a live server offers no demo batches on the home page', async ({ page, request }) => {
  const health = await request.get('/api/health')
  expect(await health.json()).toMatchObject({ status: 'ok', mode: 'live' })

  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Watch an enrichment batch' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Recent batches' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Try a demo batch' })).toHaveCount(0)
})

test('an opened batch is listed under recent batches with its progress, and can be renamed', async ({
  page,
}) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  await flip(uuid, 1)
  await openBatch(page, uuid, 3)
  await expectProcessed(page, 1, 3)

  await page.getByRole('link', { name: 'Enrichment Watch' }).click()
  const recent = page.getByRole('region', { name: 'Recent batches' })
  const item = recent.getByRole('listitem').filter({ hasText: uuid })
  await expect(item).toContainText('1/3 processed when last seen')

  await item.getByRole('button', { name: `Rename ${uuid}` }).click()
  await recent.getByRole('textbox', { name: `Nickname for ${uuid}` }).fill('ACME webinar leads')
  await recent.getByRole('button', { name: 'Save' }).click()
  await recent.getByRole('link', { name: 'ACME webinar leads' }).click()
  await expect(page).toHaveURL(`/batches/${uuid}`)
  await expect(leadRows(page)).toHaveCount(3)
})
