import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createSimulator } from './simulator.ts'

// The simulator served the way main.ts serves it, on an ephemeral loopback port: `reset` and
// `hang` must behave over a real TCP connection, not only in-process.

const KEY = 'served-key'
const sim = createSimulator({ apiKey: KEY, latencyMs: 0 })
let server: ServerType
let base: string

beforeAll(async () => {
  server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve(
      { fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' },
      () => resolve(started),
    )
  })
  const { port } = server.address() as AddressInfo
  base = `http://127.0.0.1:${port}/rest/v2/lead_finder/leads/enrichments`
})

afterAll(async () => {
  if ('closeAllConnections' in server) server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

function get(uuid: string, init: RequestInit = {}) {
  return fetch(`${base}/${uuid}`, { ...init, headers: { 'x-api-key': KEY } })
}

test('serves the documented 200 over TCP', async () => {
  const uuid = sim.addBatch({ leads: 2 })
  const res = await get(uuid)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { lead_enrichment: { leads: unknown[] } }
  expect(body.lead_enrichment.leads).toHaveLength(2)
})

test('reset resets the real TCP connection', async () => {
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'reset', times: 1 })
  const error = await get(uuid).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(TypeError)
  expect((error as TypeError).cause).toMatchObject({ code: 'ECONNRESET' })
  await vi.waitFor(() => expect(sim.stats().inFlight).toBe(0))
  expect((await get(uuid)).status).toBe(200)
})

test('hang ends when the client aborts, freeing the slot', async () => {
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'hang', times: 1 })
  const controller = new AbortController()
  const hung = get(uuid, { signal: controller.signal }).catch((caught: unknown) => caught)
  await vi.waitFor(() => expect(sim.stats().inFlight).toBe(1))
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(sim.stats().inFlight).toBe(1)
  controller.abort()
  expect(await hung).toMatchObject({ name: 'AbortError' })
  await vi.waitFor(() => expect(sim.stats().inFlight).toBe(0))
  expect((await get(uuid)).status).toBe(200)
})

test('the in-process fetch still works once the server has replaced the global Request', async () => {
  const uuid = sim.addBatch({ leads: 1 })
  sim.setFault({ kind: 'hang', times: 1 })
  const controller = new AbortController()
  const hung = sim
    .fetch(`${base}/${uuid}`, { headers: { 'x-api-key': KEY }, signal: controller.signal })
    .catch((caught: unknown) => caught)
  await vi.waitFor(() => expect(sim.stats().inFlight).toBe(1))
  controller.abort()
  expect(await hung).toMatchObject({ name: 'AbortError' })
  expect(sim.stats().inFlight).toBe(0)
})
