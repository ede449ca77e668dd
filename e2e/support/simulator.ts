import type { BatchScript, Fault } from '../../server/src/simulator/simulator.ts'
import { SIMULATOR_URL } from './env.ts'

// Scripting the simulator's control routes (docs/simulator.md) from a browser test.

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${SIMULATOR_URL}/__sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`simulator ${method} ${path} answered ${res.status}`)
  return res
}

export async function createBatch(script: BatchScript = {}): Promise<string> {
  const res = await control('POST', '/batches', script)
  const { uuid } = (await res.json()) as { uuid: string }
  return uuid
}

export async function flip(uuid: string, count = 1): Promise<number> {
  const res = await control('POST', `/batches/${uuid}/flip`, { count })
  const { flipped } = (await res.json()) as { flipped: number }
  return flipped
}

export async function setFault(fault: Fault): Promise<void> {
  await control('PUT', '/fault', fault)
}

export async function clearFault(): Promise<void> {
  await control('DELETE', '/fault')
}
