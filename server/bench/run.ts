import { mkdirSync, writeFileSync } from 'node:fs'
import type { EnrichmentResponse } from '../src/contract.ts'
import type { LoadRun } from './load.ts'
import {
  type Child,
  freePort,
  percentile,
  pinLoadGenerator,
  rssMiB,
  runLoad,
  simControl,
  sleep,
  startNode,
  stop,
} from './processes.ts'

// `pnpm bench`: the scheduler under load, measured against baselines run in the same process.
// Everything runs on loopback, is bounded in time, and stops by itself (about three minutes).
//   sharing     viewers × batches grid: browser polls per upstream call, max in flight, drops
//   overhead    a cache-miss poll through the server minus the same request straight upstream
//   throughput  cache-hit polls/s as a share of bare Hono on the same Node (hello-world, same bytes)
//   memory      server RSS before and after

const PHASES = ['sharing', 'overhead', 'throughput'] as const
type Phase = (typeof PHASES)[number]
/** BENCH_ONLY=overhead,throughput runs some phases; the default is all of them. */
const ONLY = new Set((process.env.BENCH_ONLY ?? PHASES.join(',')).split(',').map((s) => s.trim()))
const runs = (phase: Phase) => ONLY.has(phase)
const CELL_MS = Number(process.env.BENCH_CELL_MS ?? 6_000)
const OVERHEAD_SAMPLES = Number(process.env.BENCH_OVERHEAD_SAMPLES ?? 300)
const OVERHEAD_WARMUP = 50
const THROUGHPUT_S = Number(process.env.BENCH_THROUGHPUT_S ?? 5)
const THROUGHPUT_ROUNDS = 5
const VIEWERS = [1, 10, 100, 1000]
const BATCHES = [1, 10, 50]
const KEY = 'bench-key-7d41'
const SIM_LATENCY_MS = 20
const RESULTS = new URL('./results/latest.json', import.meta.url)

interface SimStats {
  requests: number
  dropped: number
  maxConcurrent: number
}

interface SharingCell {
  viewers: number
  batches: number
  polls: number
  status: Record<string, number>
  upstreamCalls: number
  pollsPerUpstreamCall: number
  maxUpstreamInFlight: number
  drops: number
  p50Ms: number
  p99Ms: number
}

async function main(): Promise<void> {
  pinLoadGenerator()
  const simPort = await freePort()
  const sim = await startNode(
    'simulator',
    'src/simulator/main.ts',
    { SIM_PORT: String(simPort), SIM_API_KEY: KEY, SIM_LATENCY_MS: String(SIM_LATENCY_MS) },
    simPort,
    '/__sim/health',
    'others',
  )
  const children: Child[] = [sim]
  try {
    const serverEnv = {
      WOODPECKER_BASE_URL: `${sim.url}/rest`,
      WOODPECKER_API_KEY: KEY,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MIN: '0',
    }
    /** The app against the simulator on a port of its own, stopped with the others at the end. */
    const startServer = async (name: string, env: Record<string, string> = {}) => {
      const port = await freePort()
      const child = await startNode(
        name,
        'src/index.ts',
        { ...serverEnv, ...env, PORT: String(port) },
        port,
        '/api/health',
      )
      children.push(child)
      return child
    }
    const server = await startServer('server')
    const rssStartMiB = rssMiB(server)

    const sharing: SharingCell[] = []
    if (runs('sharing')) {
      console.log(`sharing: ${VIEWERS.length * BATCHES.length} cells of ${CELL_MS} ms`)
    }
    for (const viewers of runs('sharing') ? VIEWERS : []) {
      for (const batches of BATCHES) {
        const cell = await sharingCell(sim, server, viewers, batches)
        sharing.push(cell)
        console.log(
          `  ${viewers} viewers × ${batches} batches: ${cell.polls} polls, ${cell.upstreamCalls} upstream, max in flight ${cell.maxUpstreamInFlight}, drops ${cell.drops}`,
        )
      }
    }

    // Overhead is measured on a server with no idle gap between upstream calls, so that a
    // sequence of cache misses measures the server's own work, not the gap it leaves on purpose.
    let overhead: Overhead | null = null
    if (runs('overhead')) {
      const overheadServer = await startServer('server (no gap)', { UPSTREAM_MIN_GAP_MS: '0' })
      overhead = await measureOverhead(sim, overheadServer)
      console.log(`overhead: p50 ${overhead.p50Ms} ms, p99 ${overhead.p99Ms} ms`)
    }

    let throughput: Throughput | null = null
    if (runs('throughput')) {
      // A server of its own, like the baselines: what the sharing phase left behind (its
      // connections, its heap) is not what a cache hit costs.
      const throughputServer = await startServer('server (throughput)')
      throughput = await measureThroughput(sim, throughputServer, children)
      console.log(`throughput: ${Math.round(throughput.ratio * 100)} % of bare Hono`)
    }

    const rssEndMiB = rssMiB(server)
    const results = {
      at: new Date().toISOString(),
      node: process.version,
      settings: { cellMs: CELL_MS, simulatedLatencyMs: SIM_LATENCY_MS },
      sharing,
      overhead,
      throughput,
      memory: { rssStartMiB, rssEndMiB },
    }
    mkdirSync(new URL('.', RESULTS), { recursive: true })
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
    printTables(results)
    const failures = checkTargets(results)
    for (const failure of failures) console.log(`target missed: ${failure}`)
    process.exitCode = failures.length > 0 ? 1 : 0
  } finally {
    for (const child of children.reverse()) await stop(child)
  }
}

async function createBatches(sim: Child, count: number, script: object): Promise<string[]> {
  const uuids: string[] = []
  for (let i = 0; i < count; i++) {
    const { uuid } = await simControl<{ uuid: string }>(sim, 'POST', '/batches', script)
    uuids.push(uuid)
  }
  return uuids
}

/**
 * Viewers open their batch at random moments within the first second, then poll as a browser
 * does: when the server's `meta.next_poll_ms` says, or after `Retry-After` on a 503.
 */
async function sharingCell(
  sim: Child,
  server: Child,
  viewers: number,
  batches: number,
): Promise<SharingCell> {
  // Long-running batches, so that every poll is of a batch still changing.
  const uuids = await createBatches(sim, batches, { leads: 20, durationMs: 3_600_000 })
  await simControl(sim, 'POST', '/stats/reset')
  const latencies: number[] = []
  const status: Record<string, number> = {}
  const endAt = Date.now() + CELL_MS

  async function viewer(index: number): Promise<void> {
    const uuid = uuids[index % batches]
    await sleep(Math.random() * 1_000)
    while (Date.now() < endAt) {
      const started = performance.now()
      let waitMs = 1_000
      try {
        const res = await fetch(`${server.url}/api/enrichments/${uuid}`)
        const body = await res.text()
        latencies.push(performance.now() - started)
        status[res.status] = (status[res.status] ?? 0) + 1
        if (res.ok) waitMs = (JSON.parse(body) as EnrichmentResponse).meta.next_poll_ms
        else waitMs = Number(res.headers.get('retry-after') ?? 1) * 1_000
      } catch {
        status.network = (status.network ?? 0) + 1
      }
      await sleep(Math.min(waitMs, Math.max(0, endAt - Date.now())))
    }
  }

  await Promise.all(Array.from({ length: viewers }, (_, i) => viewer(i)))
  const stats = await simControl<SimStats>(sim, 'GET', '/stats')
  latencies.sort((a, b) => a - b)
  const polls = latencies.length
  return {
    viewers,
    batches,
    polls,
    status,
    upstreamCalls: stats.requests,
    pollsPerUpstreamCall: round(polls / Math.max(1, stats.requests)),
    maxUpstreamInFlight: stats.maxConcurrent,
    drops: stats.dropped,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  }
}

/**
 * Alternates a cache-miss poll through the server (a batch it has never seen) with the same
 * request straight to the simulator, so both see the same simulated latency and machine load.
 * The first OVERHEAD_WARMUP rounds only warm up the JIT of every process and are not counted.
 */
async function measureOverhead(sim: Child, server: Child) {
  const uuids = await createBatches(sim, OVERHEAD_WARMUP + OVERHEAD_SAMPLES, {
    leads: 20,
    durationMs: 3_600_000,
  })
  const viaServer: number[] = []
  const direct: number[] = []
  const roundTrip: number[] = []
  for (const [index, uuid] of uuids.entries()) {
    if (index === OVERHEAD_WARMUP)
      for (const list of [viaServer, direct, roundTrip]) list.length = 0
    let started = performance.now()
    const proxied = await fetch(`${server.url}/api/enrichments/${uuid}`)
    await proxied.arrayBuffer()
    viaServer.push(performance.now() - started)
    if (!proxied.ok) throw new Error(`overhead poll answered ${proxied.status}`)
    started = performance.now()
    const straight = await fetch(`${sim.url}/rest/v2/lead_finder/leads/enrichments/${uuid}`, {
      headers: { 'x-api-key': KEY, accept: 'application/json' },
    })
    await straight.arrayBuffer()
    direct.push(performance.now() - started)
    // A round trip to the same server that asks nothing upstream: the part of the overhead that
    // is one more HTTP hop, whatever the server does.
    started = performance.now()
    await (await fetch(`${server.url}/api/health`)).arrayBuffer()
    roundTrip.push(performance.now() - started)
  }
  for (const list of [viaServer, direct, roundTrip]) list.sort((a, b) => a - b)
  const p50 = percentile(viaServer, 50) - percentile(direct, 50)
  return {
    samples: OVERHEAD_SAMPLES,
    serverP50Ms: round(percentile(viaServer, 50)),
    serverP99Ms: round(percentile(viaServer, 99)),
    directP50Ms: round(percentile(direct, 50)),
    directP99Ms: round(percentile(direct, 99)),
    p50Ms: round(p50),
    p99Ms: round(percentile(viaServer, 99) - percentile(direct, 99)),
    healthRoundTripP50Ms: round(percentile(roundTrip, 50)),
  }
}

/**
 * Cache hits of a complete batch (kept for CACHE_COMPLETE_MS) against two bare Hono baselines on
 * the same Node: a hello-world, and a route answering the very same bytes and headers.
 */
async function measureThroughput(sim: Child, server: Child, children: Child[]) {
  const [uuid] = await createBatches(sim, 1, { leads: 20, complete: true })
  const url = `${server.url}/api/enrichments/${uuid}`
  const sample = await fetch(url)
  if (!sample.ok) throw new Error(`throughput warm-up answered ${sample.status}`)
  const headers = Object.fromEntries([...sample.headers].filter(([name]) => !HOP_HEADERS.has(name)))
  const barePort = await freePort()
  const bare = await startNode(
    'bare hono',
    'bench/bare-hono.ts',
    {
      PORT: String(barePort),
      BENCH_BODY: await sample.text(),
      BENCH_HEADERS: JSON.stringify(headers),
    },
    barePort,
    '/hello',
  )
  children.push(bare)
  const runs = await runLoad({
    targets: [
      { name: 'hello', url: `${bare.url}/hello`, pid: pidOf(bare) },
      { name: 'same', url: `${bare.url}/same`, pid: pidOf(bare) },
      { name: 'app', url, pid: pidOf(server) },
    ],
    rounds: THROUGHPUT_ROUNDS,
    seconds: THROUGHPUT_S,
  })
  const failed = runs.filter((run) => run.failed > 0)
  if (failed.length > 0)
    throw new Error(`throughput runs with failed requests: ${JSON.stringify(failed)}`)
  const median = (name: string, pick: (run: LoadRun) => number) => {
    const values = runs
      .filter((run) => run.name === name)
      .map(pick)
      .sort((x, y) => x - y)
    return values[values.length >> 1] ?? 0
  }
  const rps = (name: string) => median(name, (run) => run.rps)
  const cpuUs = (name: string) => round(median(name, (run) => run.cpuUs))
  return {
    rounds: THROUGHPUT_ROUNDS,
    cacheHitRps: Math.round(rps('app')),
    bareHelloRps: Math.round(rps('hello')),
    bareSameBytesRps: Math.round(rps('same')),
    ratio: round(rps('app') / rps('hello')),
    ratioToSameBytes: round(rps('app') / rps('same')),
    cpuUsPerRequest: {
      cacheHit: cpuUs('app'),
      bareHello: cpuUs('hello'),
      bareSameBytes: cpuUs('same'),
    },
    /** Every round, in the order they ran: how much the figures above moved within this run. */
    runs: runs.map((run) => ({ ...run, rps: Math.round(run.rps), cpuUs: round(run.cpuUs) })),
  }
}

function pidOf(child: Child): number {
  if (child.process.pid === undefined) throw new Error(`${child.name} has no pid`)
  return child.process.pid
}

const HOP_HEADERS = new Set(['date', 'content-length', 'connection', 'keep-alive'])

type Overhead = Awaited<ReturnType<typeof measureOverhead>>
type Throughput = Awaited<ReturnType<typeof measureThroughput>>
type Results = {
  sharing: SharingCell[]
  overhead: Overhead | null
  throughput: Throughput | null
  memory: { rssStartMiB: number; rssEndMiB: number }
}

function printTables(results: Results): void {
  const { sharing, overhead, throughput, memory } = results
  if (sharing.length > 0) {
    console.log('\nsharing')
    console.table(
      sharing.map((cell) => ({
        viewers: cell.viewers,
        batches: cell.batches,
        polls: cell.polls,
        'upstream calls': cell.upstreamCalls,
        'polls/call': cell.pollsPerUpstreamCall,
        'max in flight': cell.maxUpstreamInFlight,
        drops: cell.drops,
        'p50 ms': cell.p50Ms,
        'p99 ms': cell.p99Ms,
        statuses: Object.entries(cell.status)
          .map(([code, n]) => `${code}×${n}`)
          .join(' '),
      })),
    )
  }
  if (overhead) {
    console.log('\noverhead of a cache-miss poll (server minus direct, same run)')
    console.table({
      p50: { server: overhead.serverP50Ms, direct: overhead.directP50Ms, overhead: overhead.p50Ms },
      p99: { server: overhead.serverP99Ms, direct: overhead.directP99Ms, overhead: overhead.p99Ms },
    })
    console.log(
      `for scale: one round trip to the same server asking nothing upstream (GET /api/health, right after ~20 ms idle) takes ${overhead.healthRoundTripP50Ms} ms at p50`,
    )
  }
  if (throughput) {
    console.log(`\nthroughput (50 connections, median of ${throughput.rounds} rounds)`)
    const cpu = throughput.cpuUsPerRequest
    console.table({
      'cache-hit poll': {
        'req/s': throughput.cacheHitRps,
        'cache hit ÷ this': 1,
        'server CPU µs/request': cpu.cacheHit,
      },
      'bare Hono hello-world': {
        'req/s': throughput.bareHelloRps,
        'cache hit ÷ this': throughput.ratio,
        'server CPU µs/request': cpu.bareHello,
      },
      'bare Hono, same bytes': {
        'req/s': throughput.bareSameBytesRps,
        'cache hit ÷ this': throughput.ratioToSameBytes,
        'server CPU µs/request': cpu.bareSameBytes,
      },
    })
  }
  console.log(`\nmemory: server RSS ${memory.rssStartMiB} MiB → ${memory.rssEndMiB} MiB`)
  console.log(`results: ${RESULTS.pathname}`)
}

function checkTargets({ sharing, overhead, throughput }: Results): string[] {
  const failures: string[] = []
  for (const cell of sharing) {
    const name = `${cell.viewers} viewers × ${cell.batches} batches`
    if (cell.maxUpstreamInFlight > 1)
      failures.push(`${name}: ${cell.maxUpstreamInFlight} in flight`)
    if (cell.drops > 0) failures.push(`${name}: ${cell.drops} drops`)
  }
  if (overhead && overhead.p50Ms > 1) failures.push(`overhead p50 ${overhead.p50Ms} ms > 1 ms`)
  if (throughput && throughput.ratio < 0.7) {
    failures.push(`cache-hit throughput ${throughput.ratio} of bare Hono < 0.7`)
  }
  return failures
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

await main()
