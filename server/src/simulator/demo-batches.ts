import type { DemoBatch } from '../contract.ts'
import type { BatchScript, Simulator } from './simulator.ts'

// The batches demo mode and `pnpm simulator` start with. Their uuids are fixed so links in the
// README and shared demo links keep working across restarts.

const DEMO: Array<DemoBatch & { script: BatchScript }> = [
  {
    uuid: '6f1c2a9e-3b7d-4e58-9a21-0c4d8e7f5b31',
    label: 'Running batch',
    description: '12 leads that start enriching when you open it and finish within a minute.',
    script: { leads: 12, mode: 'timed', durationMs: 60_000, startOnFirstRequest: true },
  },
  {
    uuid: 'a83e5d10-7c2f-4b96-8e04-5f1b9d2c6a77',
    label: 'Finished batch',
    description: '20 leads, all enriched: some converted to prospects, some not.',
    script: { leads: 20, complete: true, convertedRatio: 0.55 },
  },
  {
    uuid: 'd4b07f63-1e9a-4c25-b8d3-27a6c0e9f148',
    label: 'Large batch',
    description: '50 leads that start when you open it and take about three minutes.',
    script: { leads: 50, mode: 'timed', durationMs: 180_000, startOnFirstRequest: true },
  },
]

export const DEMO_BATCHES: DemoBatch[] = DEMO.map(({ uuid, label, description }) => ({
  uuid,
  label,
  description,
}))

/** Adds the demo batches; a timed one's clock starts at its first request, so it runs fresh. */
export function seedDemoBatches(sim: Pick<Simulator, 'addBatch'>): void {
  for (const { uuid, script } of DEMO) sim.addBatch({ ...script, uuid })
}
