import fc from 'fast-check'
import { expect, test } from 'vitest'
import { createApp } from './app.ts'
import { loadConfig } from './config.ts'
import { parseBatchId } from './contract.ts'
import { createLogger } from './logger.ts'
import { createSimulator } from './simulator/simulator.ts'
import { createScheduler } from './upstream/scheduler.ts'
import { fromFetch } from './upstream/transport.ts'
import { createWoodpeckerClient } from './upstream/woodpecker-client.ts'

// For any string a caller puts where the batch id goes, the server either refuses it at no cost
// or asks Woodpecker for exactly one canonical path. Nothing in between: no decoded slash, dot,
// query or fragment can steer the upstream URL.

const KEY = 'wp-key-property-2c9d'
const UPSTREAM_PATH = /^\/rest\/v2\/lead_finder\/leads\/enrichments\/([0-9a-f-]{36})$/

const config = loadConfig({
  WOODPECKER_API_KEY: KEY,
  WOODPECKER_BASE_URL: 'http://sim.test/rest',
  RATE_LIMIT_PER_MIN: '0',
})
const sim = createSimulator({ apiKey: KEY, latencyMs: 0 })
const app = createApp({
  config,
  enrichments: createScheduler({
    client: createWoodpeckerClient({
      baseUrl: config.baseUrl,
      apiKey: KEY,
      transport: fromFetch(sim.fetch),
      timeoutMs: config.upstreamTimeoutMs,
    }),
    // Nothing reused between runs: every valid id must reach the upstream again.
    settings: { ...config.scheduler, freshMs: 0, notFoundMs: 0, minGapMs: 0 },
    mode: config.mode,
  }),
  logger: createLogger({ level: 'silent' }),
})

const hostile = fc.constantFrom(
  '/',
  '%2F',
  '%2f',
  '..',
  '%2e%2e',
  '.',
  '?',
  '%3F',
  '#',
  '%23',
  ' ',
  '%20',
  '%00',
  '\u0000',
  '\t',
  '\n',
  '\\',
  '%5C',
  ';',
  '@',
  'é',
  '\u200b',
  '０',
  '-',
  'a',
)

/** Canonical UUIDs, sometimes upper-cased, sometimes with hostile pieces spliced in anywhere. */
const nearlyUuid = fc
  .tuple(
    fc.uuid({ version: [1, 2, 3, 4, 5, 7] }),
    fc.boolean(),
    fc.array(fc.tuple(fc.nat(40), hostile), { maxLength: 3 }),
  )
  .map(([uuid, upper, splices]) => {
    let text = upper ? uuid.toUpperCase() : uuid
    for (const [at, piece] of splices) {
      const index = at % (text.length + 1)
      text = text.slice(0, index) + piece + text.slice(index)
    }
    return text
  })

const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: hostile, maxLength: 20 }),
  nearlyUuid,
)

test('any string sent as the batch id segment is a 400 at no upstream cost unless it is a UUID, which is requested canonically', async () => {
  await fc.assert(
    fc.asyncProperty(anyText, async (text) => {
      let segment: string
      try {
        segment = encodeURIComponent(text)
      } catch {
        return // a lone surrogate cannot be sent as a URL at all
      }
      sim.resetStats()
      const response = await app.request(`http://localhost/api/enrichments/${segment}`)
      const upstream = sim.stats().log.map((request) => request.path)
      const canonical = parseBatchId(text)

      if (canonical === null) {
        // 400 invalid_uuid; or 404 when the text is a dot segment (`..`) that URL parsing
        // resolves before any server sees it, leaving /api/ itself.
        expect([400, 404]).toContain(response.status)
        expect(upstream).toEqual([])
      } else {
        expect(upstream).toEqual([`/rest/v2/lead_finder/leads/enrichments/${canonical}`])
      }
    }),
    { numRuns: 500 },
  )
})

test('whatever raw text follows /api/enrichments/, the upstream sees nothing or one canonical path', async () => {
  await fc.assert(
    fc.asyncProperty(anyText, async (text) => {
      sim.resetStats()
      let response: Response
      try {
        response = await app.request(`http://localhost/api/enrichments/${text}`)
      } catch {
        return // not a URL at all: no request could carry it
      }
      const upstream = sim.stats().log.map((request) => request.path)

      expect(upstream.length).toBeLessThanOrEqual(1)
      for (const path of upstream) expect(path).toMatch(UPSTREAM_PATH)
      if (upstream.length === 0) expect(response.status).toBeGreaterThanOrEqual(400)
    }),
    { numRuns: 500 },
  )
})
