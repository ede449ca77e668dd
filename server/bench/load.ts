import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

// The throughput rounds in a process of their own, so the load generator is warm and fresh
// whatever the benchmark process did before (a thousand polling viewers leave a heap and sockets
// behind): `node --import tsx bench/load.ts '<plan as JSON>'` prints the rounds as JSON.
// Each run also reads the target server's CPU time from /proc, the figure that a slow load
// generator cannot skew.

export interface LoadPlan {
  targets: Array<{ name: string; url: string; pid: number }>
  rounds: number
  seconds: number
}

export interface LoadRun {
  name: string
  rps: number
  /** Server CPU time per request, in µs (Linux /proc, 10 ms ticks). */
  cpuUs: number
  /** Errors and non-2xx answers: a run is only worth something when this is 0. */
  failed: number
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')
  return (Number(fields?.[11]) + Number(fields?.[12])) * 10
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan
// A warm-up run of every target for the JIT of every process, this one included.
for (const { url } of plan.targets) await autocannon({ url, connections: 50, duration: 1 })
const runs: LoadRun[] = []
// Rounds alternate the targets, so drift in machine load shows up in all of them.
for (let round = 0; round < plan.rounds; round++) {
  for (const { name, url, pid } of plan.targets) {
    const before = cpuMs(pid)
    const result = await autocannon({ url, connections: 50, duration: plan.seconds })
    const cpuUs = ((cpuMs(pid) - before) * 1000) / Math.max(1, result.requests.total)
    runs.push({ name, rps: result.requests.average, cpuUs, failed: result.errors + result.non2xx })
  }
}
process.stdout.write(JSON.stringify(runs))
