import { expect, test } from 'vitest'
import { DEMO_BATCHES, seedDemoBatches } from './demo-batches.ts'
import { createSimulator } from './simulator.ts'

const KEY = 'k'

async function leads(sim: ReturnType<typeof createSimulator>, uuid: string) {
  const res = await sim.fetch(`http://sim.test/rest/v2/lead_finder/leads/enrichments/${uuid}`, {
    headers: { 'x-api-key': KEY },
  })
  expect(res.status).toBe(200)
  const body = (await res.json()) as {
    lead_enrichment: { leads: Array<{ status: string; processing_result: string | null }> }
  }
  return body.lead_enrichment.leads
}

const pending = (list: Array<{ status: string }>) =>
  list.filter((lead) => lead.status === 'PENDING').length

test('the demo batches keep their fixed uuids (README links point at them)', () => {
  expect(DEMO_BATCHES.map((batch) => batch.uuid)).toEqual([
    '6f1c2a9e-3b7d-4e58-9a21-0c4d8e7f5b31',
    'a83e5d10-7c2f-4b96-8e04-5f1b9d2c6a77',
    'd4b07f63-1e9a-4c25-b8d3-27a6c0e9f148',
  ])
  for (const batch of DEMO_BATCHES) {
    expect(batch.label).not.toBe('')
    expect(batch.description).not.toBe('')
  }
})

test('running: 12 leads that wait for the first visit, flip within a minute of it', async () => {
  let time = 0
  const sim = createSimulator({ apiKey: KEY, latencyMs: 0, now: () => time })
  seedDemoBatches(sim)
  const uuid = DEMO_BATCHES[0]?.uuid as string
  time += 3_600_000
  const first = await leads(sim, uuid)
  expect(first).toHaveLength(12)
  expect(pending(first)).toBe(12)
  time += 15_000
  expect(pending(await leads(sim, uuid))).toBeLessThan(12)
  time += 45_000
  expect(pending(await leads(sim, uuid))).toBe(0)
})

test('finished: 20 leads, all processed, some converted and some not', async () => {
  const sim = createSimulator({ apiKey: KEY, latencyMs: 0 })
  seedDemoBatches(sim)
  const list = await leads(sim, DEMO_BATCHES[1]?.uuid as string)
  expect(list).toHaveLength(20)
  expect(pending(list)).toBe(0)
  const results = new Set(list.map((lead) => lead.processing_result))
  expect(results).toEqual(new Set(['CONVERTED_TO_PROSPECT', 'NOT_CONVERTED_TO_PROSPECT']))
})

test('large: 50 leads that start at the first visit and take about three minutes', async () => {
  let time = 0
  const sim = createSimulator({ apiKey: KEY, latencyMs: 0, now: () => time })
  seedDemoBatches(sim)
  const uuid = DEMO_BATCHES[2]?.uuid as string
  time += 3_600_000
  expect(pending(await leads(sim, uuid))).toBe(50)
  time += 90_000
  const halfway = pending(await leads(sim, uuid))
  expect(halfway).toBeGreaterThan(0)
  expect(halfway).toBeLessThan(50)
  time += 90_000
  expect(pending(await leads(sim, uuid))).toBe(0)
})
