import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createSimulator, type Fault } from '../simulator/simulator.ts'
import { rejectionOf } from './rejection.ts'
import { undiciTransport } from './transport.ts'
import { UpstreamError } from './types.ts'
import { createWoodpeckerClient } from './woodpecker-client.ts'

// The live transport (undici's `request`) over real TCP: the simulator served on a loopback port
// the way `pnpm simulator` serves it, and plain Node servers for answers it cannot give.

const KEY = 'transport-key-5b1e'
const UUID = '088e2d8a-d8ac-41fc-969f-0ba4102682ac'
const sim = createSimulator({ apiKey: KEY, latencyMs: 0 })
let served: ServerType
let simBase: string
let connections = 0

beforeAll(async () => {
  served = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve(
      { fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' },
      () => resolve(started),
    )
  })
  served.on('connection', () => {
    connections += 1
  })
  simBase = `http://127.0.0.1:${(served.address() as AddressInfo).port}/rest`
})

afterAll(async () => {
  if ('closeAllConnections' in served) served.closeAllConnections()
  await new Promise((resolve) => served.close(resolve))
})

function client(baseUrl = simBase, timeoutMs = 5_000) {
  return createWoodpeckerClient({ baseUrl, apiKey: KEY, transport: undiciTransport(), timeoutMs })
}

const failure = (work: unknown) => rejectionOf(work, UpstreamError)

/** A plain HTTP server on loopback for one test; closed when the test's work is done. */
async function withServer(
  handler: Parameters<typeof createServer>[1],
  work: (base: string, server: Server) => Promise<void>,
): Promise<void> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}/rest`, server)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

test('returns the batch over TCP, and later calls reuse the connection', async () => {
  const uuid = sim.addBatch({ leads: 3 })
  const live = client()
  const before = connections

  const first = await live.getEnrichment(uuid)
  // The scheduler leaves a gap between calls; by then the connection is back in the pool.
  await new Promise((resolve) => setTimeout(resolve, 20))
  const second = await live.getEnrichment(uuid)

  expect(first.uuid).toBe(uuid)
  expect(first.leads).toHaveLength(3)
  expect(second.leads).toHaveLength(3)
  expect(connections - before).toBe(1)
})

test('sends one GET with the key and accept headers, and nothing of its own but the host', async () => {
  const uuid = sim.addBatch()
  sim.resetStats()
  await client().getEnrichment(uuid)
  const log = sim.stats().log
  expect(log).toHaveLength(1)
  expect(log[0]?.method).toBe('GET')
  expect(log[0]?.path).toBe(`/rest/v2/lead_finder/leads/enrichments/${uuid}`)
  const { host, connection, ...sent } = log[0]?.headers ?? {}
  expect(host).toMatch(/^127\.0\.0\.1:\d+$/)
  expect(connection ?? 'keep-alive').toBe('keep-alive')
  expect(sent).toEqual({ 'x-api-key': KEY, accept: 'application/json' })
})

describe('every simulator fault maps as it does over fetch', () => {
  test.each<[string, Fault, string, number | undefined]>([
    ['500', { kind: 'error_500' }, 'upstream_error', 500],
    ['HTML 502', { kind: 'html_502' }, 'upstream_error', 502],
    ['401', { kind: 'unauthorized' }, 'upstream_unauthorized', 401],
    ['429', { kind: 'throttled_429', retryAfterS: 7 }, 'upstream_throttled', 429],
    ['400 E_TOO_MANY_REQUESTS', { kind: 'throttled_400' }, 'upstream_throttled', 400],
    ['truncated JSON', { kind: 'malformed_json' }, 'upstream_bad_response', 200],
    ['wrong shape', { kind: 'wrong_shape' }, 'upstream_bad_response', 200],
    ['reset connection', { kind: 'reset' }, 'upstream_error', undefined],
  ])('%s', async (_name, fault, code, status) => {
    const uuid = sim.addBatch()
    sim.setFault(fault)
    try {
      const error = await failure(client().getEnrichment(uuid))
      expect(error.code).toBe(code)
      expect(error.upstreamStatus).toBe(status)
      if (fault.kind === 'throttled_429') expect(error.retryAfterMs).toBe(7_000)
    } finally {
      sim.setFault(null)
    }
  })

  test('an unknown batch is not_found', async () => {
    expect((await failure(client().getEnrichment(UUID))).code).toBe('not_found')
  })

  test('a hanging upstream is upstream_timeout and the request is aborted', async () => {
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'hang' })
    try {
      expect((await failure(client(simBase, 100).getEnrichment(uuid))).code).toBe(
        'upstream_timeout',
      )
      await vi.waitFor(() => expect(sim.stats().inFlight).toBe(0))
    } finally {
      sim.setFault(null)
    }
  })
})

test('a redirect is refused, not followed', async () => {
  let requests = 0
  await withServer(
    (_req, res) => {
      requests += 1
      res.writeHead(302, { location: 'http://127.0.0.1:9/steal' }).end()
    },
    async (base) => {
      const error = await failure(client(base).getEnrichment(UUID))
      expect(error.code).toBe('upstream_error')
      expect(error.upstreamStatus).toBe(302)
      expect(requests).toBe(1)
    },
  )
})

test('a 200 body over 1 MiB is upstream_bad_response, an endless error body is cut and mapped', async () => {
  const chunk = 'E_TOO_MANY_REQUESTS '.repeat(1000)
  await withServer(
    (req, res) => {
      if (req.url?.includes(UUID)) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(' '.repeat(1024 * 1024 + 1))
        return
      }
      // An error body that never ends: only its first bytes are read.
      res.writeHead(400)
      const timer = setInterval(() => res.write(chunk), 1)
      res.on('close', () => clearInterval(timer))
    },
    async (base) => {
      expect((await failure(client(base).getEnrichment(UUID))).code).toBe('upstream_bad_response')
      const other = '11111111-2222-4333-8444-555555555555'
      expect((await failure(client(base).getEnrichment(other))).code).toBe('upstream_throttled')
    },
  )
})

test('a refused connection is upstream_error naming the cause', async () => {
  // Port 9 (discard) is closed on loopback here, as on any machine not running inetd.
  const error = await failure(client('http://127.0.0.1:9/rest').getEnrichment(UUID))
  expect(error.code).toBe('upstream_error')
  expect(error.details).toContain('ECONNREFUSED')
})
