import { expect, type Locator, type Page } from '@playwright/test'
import { createBatch, flip } from './simulator.ts'

// Locators and waits for the batch page, by role and accessible name as a user perceives it.

export function updatesRegion(page: Page): Locator {
  return page.getByRole('region', { name: 'Updates' })
}

export function progressRegion(page: Page): Locator {
  return page.getByRole('region', { name: 'Progress' })
}

/** The body rows of the leads table (the header row has column headers, not cells). */
export function leadRows(page: Page): Locator {
  return page
    .getByRole('region', { name: 'Leads' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') })
}

export function leadRow(page: Page, uid: string): Locator {
  return leadRows(page).filter({ has: page.getByRole('cell', { name: uid, exact: true }) })
}

/** The state word the refresh bar shows: Live, Stale, Throttled, Paused, Done, Browser offline… */
export function connectionLabel(page: Page, label: string): Locator {
  return updatesRegion(page).getByText(label, { exact: true })
}

/** Opens a batch and waits until its table shows `leads` rows; returns the lead ids in order. */
export async function openBatch(
  page: Page,
  uuid: string,
  leads: number,
  search = '',
): Promise<string[]> {
  await page.goto(`/batches/${uuid}${search}`)
  await expect(leadRows(page)).toHaveCount(leads)
  return leadIds(page)
}

export async function leadIds(page: Page): Promise<string[]> {
  return leadRows(page).evaluateAll((rows) =>
    rows.map((row) => row.querySelector('td')?.textContent?.trim() ?? ''),
  )
}

/** Every `/api/enrichments/…` request the page sends from now on. */
export function recordEnrichmentRequests(page: Page): string[] {
  const seen: string[] = []
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/enrichments/')) seen.push(request.url())
  })
  return seen
}

/** Waits until the progress bar says `processed` leads are done. */
export async function expectProcessed(page: Page, processed: number, total: number) {
  await expect(page.getByRole('progressbar', { name: 'Leads processed' })).toHaveAttribute(
    'aria-valuetext',
    new RegExp(`^${processed} of ${total} leads processed`),
  )
}

/**
 * Returns once every request the page started before this call has been reported to the test:
 * the page fetches a marker URL and the test waits to see it, and a page's requests are reported
 * in the order they start.
 */
export async function requestBarrier(page: Page): Promise<void> {
  const marker = `/api/health?barrier=${Date.now()}`
  await Promise.all([
    page.waitForRequest((request) => request.url().endsWith(marker)),
    page.evaluate(async (url) => {
      await fetch(url)
    }, marker),
  ])
}

/** A 3-lead batch on screen with its first lead processed, live. */
export async function watchBatch(page: Page): Promise<{ uuid: string; ids: string[] }> {
  const uuid = await createBatch({ leads: 3, mode: 'manual' })
  await flip(uuid, 1)
  const ids = await openBatch(page, uuid, 3)
  await expectProcessed(page, 1, 3)
  await expect(connectionLabel(page, 'Live')).toBeVisible()
  return { uuid, ids }
}
