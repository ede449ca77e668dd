import { expect, test } from '@playwright/test'
import { connectionLabel, leadRows } from './support/batch-page.ts'
import { DEMO_SERVER_URL } from './support/env.ts'

// A server started without a key: the newcomer's first `pnpm start`.
test.use({ baseURL: DEMO_SERVER_URL })

test('a server without a key offers demo batches, and a finished one opens complete', async ({
  page,
  request,
}) => {
  expect(await (await request.get('/api/health')).json()).toMatchObject({ mode: 'demo' })
  await page.goto('/')

  const demos = page.getByRole('region', { name: 'Try a demo batch' })
  await expect(demos.getByRole('link')).toHaveCount(3)
  await demos.getByRole('link', { name: /Finished batch/ }).click()

  await expect(page).toHaveURL('/batches/a83e5d10-7c2f-4b96-8e04-5f1b9d2c6a77')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('demo')
  await expect(leadRows(page)).toHaveCount(20)
  await expect(connectionLabel(page, 'Done')).toBeVisible()
  await expect(page).toHaveTitle(/^✓ \(20\/20\)/)
})

test('the running demo batch starts when opened and its leads finish in real time', async ({
  page,
}) => {
  await page.goto('/')
  await page
    .getByRole('region', { name: 'Try a demo batch' })
    .getByRole('link', { name: /Running batch/ })
    .click()

  await expect(leadRows(page)).toHaveCount(12)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
  // 12 leads over a minute: the first one is due a few seconds after the first request.
  await expect(page.getByRole('progressbar', { name: 'Leads processed' })).not.toHaveAttribute(
    'aria-valuenow',
    '0',
    { timeout: 20_000 },
  )
  await expect(leadRows(page).getByText('Processed', { exact: true }).first()).toBeVisible()
})
