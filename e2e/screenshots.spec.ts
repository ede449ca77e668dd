import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, type Page, test } from '@playwright/test'
import { expectProcessed, openBatch, progressRegion } from './support/batch-page.ts'
import { createBatch, flip } from './support/simulator.ts'

// The batch page mid-run, as pictures: attached to the report and written to
// test-results/screenshots/. UPDATE_README_SCREENSHOT=1 also refreshes docs/screenshot.png, the
// README's picture, so ordinary runs never rewrite a tracked file.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SHOTS_DIR = resolve(ROOT, 'test-results/screenshots')
const README_SHOT = resolve(ROOT, 'docs/screenshot.png')

const CONVERTED = 'CONVERTED_TO_PROSPECT'
const NOT_CONVERTED = 'NOT_CONVERTED_TO_PROSPECT'

/** Twelve leads, seven done (five before the page opened, two while watching), with a rate. */
async function showMidRunBatch(page: Page): Promise<void> {
  await page.clock.install()
  const uuid = await createBatch({
    leads: 12,
    mode: 'manual',
    results: [CONVERTED, NOT_CONVERTED, CONVERTED, CONVERTED, NOT_CONVERTED, CONVERTED, CONVERTED],
  })
  await flip(uuid, 5)
  await openBatch(page, uuid, 12)
  await flip(uuid, 1)
  await expectProcessed(page, 6, 12)
  await flip(uuid, 1)
  await expectProcessed(page, 7, 12)
  // Forty seconds of watching on the page's clock, so it has seen enough to estimate a rate.
  await page.clock.fastForward('00:40')
  await expect(progressRegion(page).getByText(/leads\/min/)).toBeVisible()
}

const VARIANTS = [
  { name: 'batch-light', colorScheme: 'light', width: 1280, readme: true },
  { name: 'batch-dark', colorScheme: 'dark', width: 1280, readme: false },
  { name: 'batch-360px', colorScheme: 'light', width: 360, readme: false },
] as const

for (const variant of VARIANTS) {
  test(`screenshot of a batch mid-run: ${variant.name}`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: variant.colorScheme })
    await page.setViewportSize({ width: variant.width, height: 900 })
    await showMidRunBatch(page)

    const png = await page.screenshot({ fullPage: true, animations: 'disabled' })
    await testInfo.attach(variant.name, { body: png, contentType: 'image/png' })
    await mkdir(SHOTS_DIR, { recursive: true })
    await writeFile(resolve(SHOTS_DIR, `${variant.name}.png`), png)
    if (variant.readme && process.env.UPDATE_README_SCREENSHOT === '1') {
      await writeFile(README_SHOT, png)
    }
  })
}
