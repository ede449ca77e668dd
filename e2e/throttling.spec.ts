import { expect, test } from '@playwright/test'
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

// Throttling pauses the server's whole upstream slot for a moment (Retry-After, or a backoff of at
// most 2 s in the e2e config), so these tests live apart and each ends once the page is live again.

test.afterEach(async () => {
  await clearFault()
})

const CASES: { name: string; fault: Omit<Fault, 'uuid'> }[] = [
  { name: '429 with Retry-After', fault: { kind: 'throttled_429', retryAfterS: 1 } },
  { name: 'legacy 400 E_TOO_MANY_REQUESTS', fault: { kind: 'throttled_400' } },
]

for (const { name, fault } of CASES) {
  test(`Woodpecker throttling (${name}) keeps the rows, says Woodpecker is busy, and recovers`, async ({
    page,
  }) => {
    const { uuid, ids } = await watchBatch(page)

    await setFault({ ...fault, uuid })

    await expect(connectionLabel(page, 'Throttled')).toBeVisible()
    const updates = updatesRegion(page)
    await expect(updates.getByText(/Woodpecker is busy/)).toBeVisible()
    await expect(updates.getByText(/Showing the last good results/)).toBeVisible()
    await expect(leadRows(page)).toHaveCount(3)
    await expect(leadRow(page, ids[0] ?? '').getByText('Processed', { exact: true })).toBeVisible()

    await flip(uuid, 1)
    await clearFault()
    await expectProcessed(page, 2, 3)
    await expect(connectionLabel(page, 'Live')).toBeVisible()
  })
}

test('Woodpecker throttling with rows on screen is shown as throttled and retrying', async ({
  page,
}) => {
  const { uuid } = await watchBatch(page)

  await setFault({ kind: 'throttled_429', retryAfterS: 1, uuid })

  await expect(connectionLabel(page, 'Throttled')).toBeVisible({ timeout: 3_000 })
  await expect(updatesRegion(page).getByText(/Retrying at/)).toBeVisible()
})

test('a batch never seen while Woodpecker throttles says it is busy, then loads', async ({
  page,
}) => {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  await setFault({ kind: 'throttled_429', retryAfterS: 1, uuid })

  await page.goto(`/batches/${uuid}`)
  await expect(page.getByRole('heading', { name: 'Woodpecker is busy' })).toBeVisible()
  await expect(page.getByText(/^Retrying at |^Checking again now/)).toBeVisible()
  await expect(leadRows(page)).toHaveCount(0)

  await clearFault()
  await expect(leadRows(page)).toHaveCount(3)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
})
