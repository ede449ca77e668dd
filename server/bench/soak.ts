import type { EnrichmentResponse } from '../src/contract.ts'
import { FAULT_KINDS, type SimulatorStats } from '../src/simulator/simulator.ts'
import { type Child, freePort, rssMiB, simControl, sleep, startNode, stop } from './processes.ts'

// `pnpm soak`: viewers polling batches for minutes while the upstream misbehaves at random.
// Loopback only, bounded by SOAK_SECONDS, stops by itself. Exit code 1 when a promise is broken:
// more than one upstream request in flight, a dropped request, an unhandled server error, a
// 5xx that is not one of the documented upstream codes, or memory that keeps growing.

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180)
const VIEWERS = Number(process.env.SOAK_VIEWERS ?? 200)
const BATCHES = Number(process.env.SOAK_BATCHES ?? 20)
const KEY = 'soak-key-0e6a'
const DOCUMENTED_5XX = new Set([
  'upstream_unauthorized',
  'upstream_throttled',
  'busy',
  'upstream_timeout',
  'upstream_error',
  'upstream_bad_response',
])
// Every fault but `hang`, which would hold the slot for the whole upstream deadline (25 s) and
// mostly measure waiting; a soak wants many fault transitions.
const FAULTS = FAULT_KINDS.filter((kind) => kind !== 'hang')

async function main(): Promise<void> {
  const simPort = await freePort()
  const sim = await startNode(
    'simulator',
    'src/simulator/main.ts',
    { SIM_PORT: String(simPort), SIM_API_KEY: KEY, SIM_LATENCY_MS: '20-60' },
    simPort,
    '/__sim/health',
  )
  const children: Child[] = [sim]
  let failed = false
  try {
    const port = await freePort()
    const server = await startNode(
      'server',
      'src/index.ts',
      {
        PORT: String(port),
        WOODPECKER_BASE_URL: `${sim.url}/rest`,
        WOODPECKER_API_KEY: KEY,
        LOG_LEVEL: 'warn',
        // Every simulated viewer shares 127.0.0.1: one client as far as the limiter knows.
        RATE_LIMIT_PER_MIN: '0',
        BACKOFF_MAX_MS: '5000',
      },
      port,
      '/api/health',
    )
    children.push(server)
    const uuids: string[] = []
    for (let i = 0; i < BATCHES; i++) {
      // Long enough to stay running through the soak, short enough that some finish.
      const durationMs = (i % 4 === 0 ? 0.5 : 3) * SECONDS * 1_000
      uuids.push(
        (await simControl<{ uuid: string }>(sim, 'POST', '/batches', { leads: 50, durationMs }))
          .uuid,
      )
    }
    await simControl(sim, 'POST', '/stats/reset')

    const rss: number[] = [rssMiB(server)]
    const status: Record<string, number> = {}
    let requests = 0
    let undocumented = 0
    const endAt = Date.now() + SECONDS * 1_000

    async function viewer(index: number): Promise<void> {
      const uuid = uuids[index % uuids.length]
      await sleep(Math.random() * 2_000)
      while (Date.now() < endAt) {
        let waitMs = 1_000
        try {
          const res = await fetch(`${server.url}/api/enrichments/${uuid}`)
          const body = await res.text()
          requests += 1
          if (res.ok) {
            const meta = (JSON.parse(body) as EnrichmentResponse).meta
            const key = meta.stale ? `200 stale` : '200'
            status[key] = (status[key] ?? 0) + 1
            waitMs = meta.complete ? 10_000 : meta.next_poll_ms
          } else {
            const code = (JSON.parse(body) as { code: string }).code
            status[`${res.status} ${code}`] = (status[`${res.status} ${code}`] ?? 0) + 1
            if (res.status >= 500 && !DOCUMENTED_5XX.has(code)) undocumented += 1
            waitMs = Number(res.headers.get('retry-after') ?? 2) * 1_000
          }
        } catch {
          status.network = (status.network ?? 0) + 1
        }
        await sleep(Math.min(waitMs, Math.max(0, endAt - Date.now())))
      }
    }

    async function chaos(): Promise<number> {
      let transitions = 0
      while (Date.now() < endAt) {
        await sleep(3_000 + Math.random() * 4_000)
        if (Date.now() >= endAt) break
        const kind = FAULTS[Math.floor(Math.random() * FAULTS.length)] ?? 'error_500'
        const scoped =
          Math.random() < 0.5 ? uuids[Math.floor(Math.random() * uuids.length)] : undefined
        await simControl(sim, 'PUT', '/fault', { kind, uuid: scoped, ms: 500, retryAfterS: 1 })
        transitions += 1
        await sleep(1_000 + Math.random() * 3_000)
        await simControl(sim, 'DELETE', '/fault')
      }
      return transitions
    }

    async function sampleMemory(): Promise<void> {
      while (Date.now() < endAt) {
        await sleep(5_000)
        rss.push(rssMiB(server))
      }
    }

    console.log(`soak: ${VIEWERS} viewers over ${BATCHES} batches for ${SECONDS} s, random faults`)
    const [transitions] = await Promise.all([
      chaos(),
      sampleMemory(),
      ...Array.from({ length: VIEWERS }, (_, i) => viewer(i)),
    ])
    await simControl(sim, 'DELETE', '/fault')
    const stats = await simControl<SimulatorStats>(sim, 'GET', '/stats')
    rss.push(rssMiB(server))
    const unhandled = server.output().match(/Unexpected error|UnhandledPromiseRejection|uncaught/gi)
    const exitCode = await stop(server)

    // Memory is flat when the last third of the run holds no more than the first third did,
    // with a margin for the garbage collector's rhythm.
    const third = Math.max(1, Math.floor(rss.length / 3))
    const early = Math.max(...rss.slice(0, third))
    const late = Math.max(...rss.slice(-third))
    const report = {
      seconds: SECONDS,
      viewers: VIEWERS,
      batches: BATCHES,
      requests,
      status,
      faultTransitions: transitions,
      upstreamCalls: stats.requests,
      upstreamMaxInFlight: stats.maxConcurrent,
      upstreamDrops: stats.dropped,
      rssStartMiB: rss[0],
      rssEndMiB: rss.at(-1),
      rssEarlyPeakMiB: early,
      rssLatePeakMiB: late,
      rssSamplesMiB: rss,
      unhandledErrors: unhandled?.length ?? 0,
      undocumented5xx: undocumented,
      serverExitCode: exitCode,
    }
    console.log(JSON.stringify(report, null, 2))
    const broken = [
      report.upstreamMaxInFlight > 1 && 'more than one upstream request in flight',
      report.upstreamDrops > 0 && 'upstream dropped requests',
      report.unhandledErrors > 0 && 'unhandled errors in the server log',
      report.undocumented5xx > 0 && '5xx answers with undocumented codes',
      report.serverExitCode !== 0 && 'the server did not exit 0 on SIGTERM',
      late > early * 1.25 + 10 && 'memory kept growing',
    ].filter(Boolean)
    for (const reason of broken) console.log(`soak failed: ${reason}`)
    failed = broken.length > 0
  } finally {
    for (const child of children.reverse()) await stop(child)
  }
  process.exitCode = failed ? 1 : 0
}

await main()
