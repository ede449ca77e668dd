import { expect, type Page, test } from '@playwright/test'
import { leadRows } from './support/batch-page.ts'
import { createBatch, flip } from './support/simulator.ts'

// The server sends a strict Content-Security-Policy (no inline script or style). The SPA must
// work under it in a real browser: every violation the page reports is collected and must be none.

async function collectViolations(page: Page): Promise<string[]> {
  const violations: string[] = []
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation: (text: string) => void })
        .reportCspViolation
      report(`${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  return violations
}

test('the whole journey runs under the strict Content-Security-Policy with no violation', async ({
  page,
}) => {
  const violations = await collectViolations(page)
  const uuid = await createBatch({ leads: 4, mode: 'manual' })

  const home = await page.goto('/')
  expect(home?.headers()['content-security-policy']).toContain("script-src 'self'")
  expect(home?.headers()['content-security-policy']).not.toContain('unsafe-inline')
  await page.getByRole('textbox', { name: 'Batch UUID or link' }).fill(uuid)
  await page.getByRole('button', { name: 'Watch' }).click()
  await expect(page).toHaveURL(`/batches/${uuid}`)
  await expect(leadRows(page)).toHaveCount(4)
  await flip(uuid, 4)
  await expect(leadRows(page).getByText('Processed', { exact: true })).toHaveCount(4)
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click()
  await page.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('searchbox', { name: 'Search lead id' }).fill('_0001')
  await expect(leadRows(page)).toHaveCount(1)

  expect(violations).toEqual([])
})

test('the policy is enforced: an injected inline script is blocked and reported', async ({
  page,
}) => {
  const violations = await collectViolations(page)
  await page.goto('/')
  await expect(page.getByRole('button', { name: 'Watch' })).toBeVisible()

  const ran = await page.evaluate(() => {
    const script = document.createElement('script')
    script.textContent = 'window.injected = true'
    document.head.append(script)
    return (window as unknown as { injected?: boolean }).injected === true
  })

  expect(ran).toBe(false)
  await expect.poll(() => violations).toContainEqual(expect.stringContaining('script-src'))
})
