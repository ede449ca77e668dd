import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import {
  connectionLabel,
  expectProcessed,
  leadRow,
  leadRows,
  openBatch,
  progressRegion,
  recordEnrichmentRequests,
  requestBarrier,
} from './support/batch-page.ts'
import { createBatch, flip } from './support/simulator.ts'

test('a lead that finishes while watching is highlighted on its row, and only there', async ({
  page,
}) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  const [first = '', second = ''] = await openBatch(page, uuid, 3)
  await expect(page.locator('tr[data-changed]')).toHaveCount(0)

  await flip(uuid, 1)

  const row = leadRow(page, first)
  await expect(row.getByText('Processed', { exact: true })).toBeVisible()
  await expect(row).toHaveAttribute('data-changed', 'true')
  await expect(row).toHaveCSS('animation-name', /^flash-[ab]$/)
  await expect(leadRow(page, second)).not.toHaveAttribute('data-changed')
  await expect(leadRow(page, second)).toHaveCSS('animation-name', 'none')
})

test('with reduced motion, a finished lead updates without flashing its row', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' })
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  const [first = ''] = await openBatch(page, uuid, 3)

  await flip(uuid, 1)

  const row = leadRow(page, first)
  await expect(row.getByText('Processed', { exact: true })).toBeVisible()
  await expect(row).toHaveCSS('animation-name', 'none')
})

test('after a few leads finish, the page estimates the rate and the time left', async ({
  page,
}) => {
  await page.clock.install()
  const uuid = await createBatch({ leads: 10, mode: 'manual' })
  await openBatch(page, uuid, 10)
  const progress = progressRegion(page)
  await expect(progress.getByText('estimating…')).toBeVisible()

  await flip(uuid, 1)
  await expectProcessed(page, 1, 10)
  await flip(uuid, 1)
  await expectProcessed(page, 2, 10)
  await expect(progress.getByText('estimating…')).toBeVisible()

  // A rate needs half a minute of watching; the page's clock jumps there instead of waiting.
  await page.clock.fastForward('00:40')
  await expect(progress.getByText(/min left · [\d.]+ leads\/min$/)).toBeVisible()
  await expect(progress.getByText('estimating…')).toHaveCount(0)
})

test('filters and search live in the address, so a reload and a copied link show the same rows', async ({
  page,
  context,
  browser,
}) => {
  const uuid = await createBatch({ leads: 5, mode: 'manual' })
  await flip(uuid, 3)
  const ids = await openBatch(page, uuid, 5)
  const third = ids[2] ?? ''

  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Processed' })
  await expect(leadRows(page)).toHaveCount(3)
  await page.getByRole('searchbox', { name: 'Search lead id' }).fill('_0002')
  await expect(page).toHaveURL(`/batches/${uuid}?status=processed&q=_0002`)

  const expectSameView = async (target: typeof page) => {
    await expect(target.getByRole('combobox', { name: 'Status' })).toHaveValue('processed')
    await expect(target.getByRole('searchbox', { name: 'Search lead id' })).toHaveValue('_0002')
    await expect(leadRows(target)).toHaveCount(1)
    await expect(leadRow(target, third)).toBeVisible()
    await expect(target.getByText('1 of 5 shown', { exact: true })).toBeVisible()
  }
  await expectSameView(page)

  await page.reload()
  await expectSameView(page)

  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.getByRole('button', { name: 'Copy link' }).click()
  await expect(page.getByRole('button', { name: 'Link copied' })).toBeVisible()
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toBe(page.url())

  // Someone else opens the link: a fresh browser profile, nothing shared but the address.
  const colleague = await browser.newContext()
  try {
    const other = await colleague.newPage()
    await other.goto(copied)
    await expectSameView(other)
  } finally {
    await colleague.close()
  }
})

test('the CSV download holds exactly the rows of the current view', async ({ page }) => {
  const uuid = await createBatch({
    leads: 6,
    mode: 'manual',
    results: [
      'CONVERTED_TO_PROSPECT',
      'NOT_CONVERTED_TO_PROSPECT',
      'CONVERTED_TO_PROSPECT',
      'NOT_CONVERTED_TO_PROSPECT',
      'CONVERTED_TO_PROSPECT',
      'NOT_CONVERTED_TO_PROSPECT',
    ],
  })
  await flip(uuid, 4)
  const ids = await openBatch(page, uuid, 6)
  // Lead 4 finishes while the page watches, so it has a time; the others finished before.
  await flip(uuid, 1)
  await expectProcessed(page, 5, 6)

  await page.getByRole('combobox', { name: 'Result' }).selectOption({ label: 'Converted' })
  await expect(leadRows(page)).toHaveCount(3)
  const shown = await leadRows(page).evaluateAll((rows) =>
    rows.map((row) => row.querySelector('td')?.textContent?.trim() ?? ''),
  )
  expect(shown).toEqual([ids[0], ids[2], ids[4]])

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ])
  expect(download.suggestedFilename()).toBe(`enrichment-${uuid}.csv`)
  const csv = await readFile(await download.path(), 'utf8')
  const lines = csv.trimEnd().split('\r\n')
  expect(lines[0]).toBe('uid,status,result,seen_finished_at')
  const rows = lines.slice(1).map((line) => line.split(','))
  // A cell a spreadsheet would run as a formula (ids can start with "-") gets a leading apostrophe.
  const asCell = (uid: string) => (/^[=+\-@]/.test(uid) ? `'${uid}` : uid)
  expect(rows.map((row) => row[0])).toEqual(shown.map(asCell))
  for (const row of rows) expect(row.slice(1, 3)).toEqual(['PROCESSED', 'CONVERTED_TO_PROSPECT'])
  expect(rows.map((row) => row[3] !== '')).toEqual([false, false, true])
  expect(Number.isNaN(Date.parse(rows[2]?.[3] ?? ''))).toBe(false)
})

test('progress milestones are announced politely, counted from where the batch was when opened', async ({
  page,
}) => {
  const uuid = await createBatch({
    leads: 4,
    mode: 'manual',
    results: [
      'CONVERTED_TO_PROSPECT',
      'NOT_CONVERTED_TO_PROSPECT',
      'CONVERTED_TO_PROSPECT',
      'CONVERTED_TO_PROSPECT',
    ],
  })
  await flip(uuid, 1)
  await openBatch(page, uuid, 4)
  const live = page.getByRole('status')
  await expect(live).toHaveAttribute('aria-live', 'polite')
  // 25 % was already reached before the page opened: nothing to announce.
  await expect(live).toHaveText('')

  await flip(uuid, 1)
  await expect(live).toHaveText('50% processed: 2 of 4 leads.')
  await flip(uuid, 1)
  await expect(live).toHaveText('75% processed: 3 of 4 leads.')
  await flip(uuid, 1)
  await expect(live).toHaveText('Batch done: all 4 leads processed, 3 converted, 1 not converted.')
})

test('pausing stops asking the server, and resuming picks up what changed meanwhile', async ({
  page,
}) => {
  await page.clock.install()
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  const [first = ''] = await openBatch(page, uuid, 3)
  const requests = recordEnrichmentRequests(page)

  await page.getByRole('button', { name: 'Pause updates' }).click()
  await expect(connectionLabel(page, 'Paused')).toBeVisible()
  await expect(page.getByText('Automatic checks are paused')).toBeVisible()
  await requestBarrier(page)
  requests.length = 0

  await flip(uuid, 1)
  // A minute on the page's clock: any polling timer would have fired by now.
  await page.clock.fastForward('01:00')
  await requestBarrier(page)
  expect(requests).toEqual([])
  await expect(leadRow(page, first).getByText('Pending', { exact: true })).toBeVisible()

  await page.getByRole('button', { name: 'Resume updates' }).click()
  await expect(leadRow(page, first).getByText('Processed', { exact: true })).toBeVisible()
  await expect(connectionLabel(page, 'Live')).toBeVisible()
  expect(requests.length).toBeGreaterThan(0)
})

test('keyboard shortcuts: ? shows help, / searches, p pauses, r refreshes, never while typing', async ({
  page,
}) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  await openBatch(page, uuid, 3)

  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()

  await page.keyboard.press('/')
  const search = page.getByRole('searchbox', { name: 'Search lead id' })
  await expect(search).toBeFocused()
  await page.keyboard.type('p')
  await expect(search).toHaveValue('p')
  await expect(connectionLabel(page, 'Live')).toBeVisible()
  await search.fill('')
  await search.blur()

  await page.keyboard.press('p')
  await expect(connectionLabel(page, 'Paused')).toBeVisible()
  // Paused, so the request can only come from the refresh shortcut.
  await Promise.all([
    page.waitForRequest((request) => request.url().endsWith(`/api/enrichments/${uuid}`)),
    page.keyboard.press('r'),
  ])
  await expect(connectionLabel(page, 'Paused')).toBeVisible()

  await page.keyboard.press('p')
  await expect(connectionLabel(page, 'Live')).toBeVisible()
})

test('refreshing a paused page brings in a lead that finished meanwhile', async ({ page }) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  const [first = ''] = await openBatch(page, uuid, 3)
  await page.getByRole('button', { name: 'Pause updates' }).click()
  await expect(connectionLabel(page, 'Paused')).toBeVisible()

  await flip(uuid, 1)
  await page.getByRole('button', { name: 'Refresh now' }).click()

  await expect(leadRow(page, first).getByText('Processed', { exact: true })).toBeVisible({
    timeout: 5_000,
  })
})

test('copy summary puts a one-paragraph status with the link on the clipboard', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const uuid = await createBatch({
    leads: 4,
    mode: 'manual',
    results: ['CONVERTED_TO_PROSPECT', 'NOT_CONVERTED_TO_PROSPECT'],
  })
  await flip(uuid, 2)
  await openBatch(page, uuid, 4)

  await page.getByRole('button', { name: 'Copy summary' }).click()
  await expect(page.getByRole('button', { name: 'Summary copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    `Enrichment batch ${uuid}: 2/4 leads processed (50%), 1 converted, 1 not converted, 2 pending. ${page.url()}`,
  )
})

test('with notifications turned on, the browser is notified when the batch finishes', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['notifications'])
  // The notification itself goes to the operating system; record what the page asked to show.
  await page.addInitScript(() => {
    const shown: string[] = []
    const Original = window.Notification
    class Recorded extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        shown.push(title)
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded })
    Object.defineProperty(window, 'shownNotifications', { value: shown })
  })
  const uuid = await createBatch({ leads: 2, mode: 'manual' })
  await openBatch(page, uuid, 2)

  const toggle = page.getByRole('button', { name: 'Notify me when done' })
  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-pressed', 'true')

  await flip(uuid, 2)
  await expect(connectionLabel(page, 'Done')).toBeVisible()
  await expect
    .poll(() =>
      page.evaluate(
        () => (window as unknown as { shownNotifications: string[] }).shownNotifications,
      ),
    )
    .toEqual([`✓ Batch ${uuid.slice(0, 8)} is done`])
})
