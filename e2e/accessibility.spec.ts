import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, test } from '@playwright/test'
import { expectProcessed, openBatch } from './support/batch-page.ts'
import { createBatch, flip } from './support/simulator.ts'

const VARIANTS = [
  { name: 'light', colorScheme: 'light', width: 1280 },
  { name: 'dark', colorScheme: 'dark', width: 1280 },
  { name: 'light at 360 px', colorScheme: 'light', width: 360 },
  { name: 'dark at 360 px', colorScheme: 'dark', width: 360 },
] as const

/** Violations as short lines, so a failure names the rule and the elements. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} → ${violation.nodes
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  )
}

/** A batch mid-run with every kind of row: converted, not converted, pending. */
async function openMidRunBatch(page: Page): Promise<string> {
  const uuid = await createBatch({
    leads: 6,
    mode: 'manual',
    results: ['CONVERTED_TO_PROSPECT', 'NOT_CONVERTED_TO_PROSPECT', 'CONVERTED_TO_PROSPECT'],
  })
  // Flipped before the page opens, so no row is mid-flash while axe measures contrast.
  await flip(uuid, 3)
  await openBatch(page, uuid, 6)
  await expectProcessed(page, 3, 6)
  return uuid
}

for (const variant of VARIANTS) {
  test.describe(variant.name, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: variant.colorScheme })
      await page.setViewportSize({ width: variant.width, height: 800 })
    })

    test('the batch page mid-run has no axe violations', async ({ page }) => {
      await openMidRunBatch(page)
      expect(await axeViolations(page)).toEqual([])
    })

    test('the home page with a recent batch and a paste error has no axe violations', async ({
      page,
    }) => {
      const uuid = await openMidRunBatch(page)
      await page.getByRole('link', { name: 'Enrichment Watch' }).click()
      await expect(page.getByRole('link', { name: uuid })).toBeVisible()
      await page.getByRole('textbox', { name: 'Batch UUID or link' }).fill('no id in here')
      await page.getByRole('button', { name: 'Watch' }).click()
      await expect(page.getByRole('alert')).toBeVisible()
      expect(await axeViolations(page)).toEqual([])
    })
  })
}
