import { afterEach, expect, test, vi } from 'vitest'
import { createSimulator, type SimulatorOptions } from './simulator.ts'

const KEY = 'test-key'
const BASE = 'http://sim.test/rest/v2/lead_finder/leads/enrichments'

function setup(options: Partial<SimulatorOptions> = {}) {
  return createSimulator({ apiKey: KEY, latencyMs: 0, ...options })
}

function get(sim: ReturnType<typeof setup>, uuid: string, init: RequestInit = {}) {
  return sim.fetch(`${BASE}/${uuid}`, { ...init, headers: { 'x-api-key': KEY, ...init.headers } })
}

afterEach(() => {
  vi.useRealTimers()
})

test('answers a batch in the documented 200 shape', async () => {
  const sim = setup()
  const uuid = sim.addBatch({ leads: 3, mode: 'manual' })
  const res = await get(sim, uuid)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = await res.json()
  expect(Object.keys(body)).toEqual(['lead_enrichment'])
  expect(body.lead_enrichment.uuid).toBe(uuid)
  expect(body.lead_enrichment.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/)
  expect(body.lead_enrichment.leads).toHaveLength(3)
  for (const [index, lead] of body.lead_enrichment.leads.entries()) {
    expect(lead).toEqual({
      uid: expect.stringMatching(new RegExp(`^[A-Za-z0-9-]+_000${index}$`)),
      status: 'PENDING',
      processing_result: null,
    })
  }
})
