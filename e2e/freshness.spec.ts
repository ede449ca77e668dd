import { expect, type Page, test } from '@playwright/test'
import type { Fault } from '../server/src/simulator/simulator.ts'
import {
  connectionLabel,
  expectProcessed,
  leadRow,
  leadRows,
  updatesRegion,
  watchBatch,
} from './support/batch-page.ts'
import { clearFault, createBatch, flip, setFault } from './support/simulator.ts'

// Upstream faults while a batch is on screen (throttling has its own file: it pauses the server's
// whole upstream slot). Every fault is scoped to the test's batch and cleared after each test.

test.afterEach(async () => {
  await clearFault()
})

/** The last good rows are still there: lead 0 processed, the others pending. */
async function expectLastGoodRows(page: Page, ids: string[]) {
  await expect(leadRows(page)).toHaveCount(3)
  await expect(leadRow(page, ids[0] ?? '').getByText('Processed', { exact: true })).toBeVisible()
  await expect(leadRows(page).getByText('Pending', { exact: true })).toHaveCount(2)
}

/** Woodpecker moved on during the fault; once it is cleared, the page catches up and is live. */
async function expectRecovery(page: Page, uuid: string) {
  await flip(uuid, 1)
  await clearFault()
  await expectProcessed(page, 2, 3)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
  await expect(updatesRegion(page).getByText(/Showing the last good results/)).toHaveCount(0)
}

const STALE_CASES: { kind: Fault['kind']; says: RegExp }[] = [
  { kind: 'error_500', says: /Woodpecker had an error answering\./ },
  { kind: 'html_502', says: /Woodpecker had an error answering\./ },
  { kind: 'reset', says: /Woodpecker had an error answering\./ },
  { kind: 'malformed_json', says: /Woodpecker answered with something unexpected\./ },
  { kind: 'wrong_shape', says: /Woodpecker answered with something unexpected\./ },
]

for (const { kind, says } of STALE_CASES) {
  test(`an upstream ${kind} keeps the last rows on screen, marked stale, until Woodpecker answers again`, async ({
    page,
  }) => {
    const { uuid, ids } = await watchBatch(page)

    await setFault({ kind, uuid })

    await expect(connectionLabel(page, 'Stale')).toBeVisible()
    const updates = updatesRegion(page)
    await expect(updates.getByText(/could not get fresh results from Woodpecker/)).toBeVisible()
    await expect(updates.getByText(says)).toBeVisible()
    await expect(updates.getByText(/Showing the last good results/)).toBeVisible()
    await expectLastGoodRows(page, ids)

    await expectRecovery(page, uuid)
  })
}

test('a rejected server key keeps the rows on screen and names the server key as the problem', async ({
  page,
}) => {
  const { uuid, ids } = await watchBatch(page)

  await setFault({ kind: 'unauthorized', uuid })

  await expect(connectionLabel(page, 'Server key rejected')).toBeVisible()
  const updates = updatesRegion(page)
  await expect(updates.getByText(/Woodpecker rejected the server's API key/)).toBeVisible()
  await expect(updates.getByText(/not something you did/)).toBeVisible()
  await expect(updates.getByText(/Showing the last good results/)).toBeVisible()
  await expectLastGoodRows(page, ids)

  await expectRecovery(page, uuid)
})

test('a batch never seen while Woodpecker fails shows the problem instead of rows, then loads once it recovers', async ({
  page,
}) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  await setFault({ kind: 'error_500', uuid })

  await page.goto(`/batches/${uuid}`)
  await expect(page.getByRole('heading', { name: 'Woodpecker had a problem' })).toBeVisible()
  await expect(page.getByText('Woodpecker had an error answering.')).toBeVisible()
  await expect(page.getByText(/^Retrying at |^Checking again now/)).toBeVisible()
  await expect(page.getByRole('button', { name: 'Try again now' })).toBeVisible()
  await expect(leadRows(page)).toHaveCount(0)

  await clearFault()
  await expect(leadRows(page)).toHaveCount(3)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
})

test('a batch never seen while the server key is rejected says whose problem it is, then loads', async ({
  page,
}) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  await setFault({ kind: 'unauthorized', uuid })

  await page.goto(`/batches/${uuid}`)
  await expect(
    page.getByRole('heading', { name: "The server's Woodpecker key was rejected" }),
  ).toBeVisible()
  await expect(page.getByText(/This is not something you did/)).toBeVisible()
  await expect(leadRows(page)).toHaveCount(0)

  await clearFault()
  await page.getByRole('button', { name: 'Try again now' }).click()
  await expect(leadRows(page)).toHaveCount(3)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
})

test('when the browser goes offline the page says so and keeps the rows, and goes live again once back online', async ({
  page,
  context,
}) => {
  const { uuid, ids } = await watchBatch(page)

  await context.setOffline(true)
  await expect(connectionLabel(page, 'Browser offline')).toBeVisible()
  await expect(updatesRegion(page).getByText(/Your browser is offline/)).toBeVisible()
  await expectLastGoodRows(page, ids)

  await flip(uuid, 1)
  await context.setOffline(false)
  await expectProcessed(page, 2, 3)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
})

test('when the server cannot be reached the page says so and keeps the rows, then catches up', async ({
  page,
}) => {
  const { uuid, ids } = await watchBatch(page)

  // The browser's view of a stopped server: every API connection is refused.
  await page.route('**/api/enrichments/**', (route) => route.abort('connectionrefused'))
  await expect(connectionLabel(page, 'Server unreachable')).toBeVisible()
  await expect(
    updatesRegion(page).getByText(/cannot reach the Enrichment Watch server/),
  ).toBeVisible()
  await expectLastGoodRows(page, ids)

  await flip(uuid, 1)
  await page.unroute('**/api/enrichments/**')
  await expectProcessed(page, 2, 3)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
})

test('an upstream that hangs ends in a stale page once the server’s deadline passes', async ({
  page,
}) => {
  // The e2e server gives a hanging upstream 15 s, the lowest deadline it accepts (it must exceed
  // Woodpecker's 15 s queue wait), so this is the slowest test of the suite.
  test.setTimeout(90_000)
  const { uuid, ids } = await watchBatch(page)

  await setFault({ kind: 'hang', uuid })
  await expect(updatesRegion(page).getByText(/Woodpecker did not answer in time/)).toBeVisible({
    timeout: 30_000,
  })
  await expectLastGoodRows(page, ids)

  // A retry that started before the fault was cleared hangs until its own deadline.
  await flip(uuid, 1)
  await clearFault()
  await expect(connectionLabel(page, 'Live')).toBeVisible({ timeout: 30_000 })
  await expectProcessed(page, 2, 3)
})
