import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { LoadPlan, LoadRun } from './load.ts'

// Child processes for the benchmark and the soak: each is one Node process (no pnpm wrapper), so
// its PID is the server and stopping it is one signal.

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url))
/**
 * On a small shared machine the measured servers and the load generator otherwise take turns on
 * the same core, and ratios swing by 2×. Where taskset exists, measured servers get the last core
 * to themselves; the load generator (this process, `pinLoadGenerator`) and the simulator, which
 * stands for an upstream on another machine, share the others. BENCH_PIN=0 turns this off.
 */
const CPUS = availableParallelism()
const PINNED =
  process.env.BENCH_PIN !== '0' && existsSync('/usr/bin/taskset') && CPUS > 1
    ? { server: String(CPUS - 1), others: CPUS === 2 ? '0' : `0-${CPUS - 2}` }
    : null

/** Where a child runs: `server` for what is measured, `others` for the simulator. */
export type Placement = 'server' | 'others'

/** Moves this process (fetch loops, autocannon) off the measured servers' core. */
export function pinLoadGenerator(): void {
  if (!PINNED) return
  spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', PINNED.others, String(process.pid)], {
    stdio: 'ignore',
  })
}

export interface Child {
  name: string
  url: string
  process: ChildProcess
  output: () => string
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Starts `node --import tsx <entry>` from server/ and waits until `readyPath` answers 200. */
export async function startNode(
  name: string,
  entry: string,
  env: Record<string, string>,
  port: number,
  readyPath: string,
  placement: Placement = 'server',
): Promise<Child> {
  const child = spawnTsx(placement, [entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const res = await fetch(url + readyPath)
      if (res.ok) return { name, url, process: child, output: () => output }
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  child.kill('SIGKILL')
  throw new Error(`${name} did not start:\n${output}`)
}

/** `node --import tsx <args>` from server/, on the cores of `placement` when pinning is on. */
function spawnTsx(
  placement: Placement,
  args: string[],
  options: Pick<SpawnOptions, 'env' | 'stdio'>,
): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', ...args]
  const [command = process.execPath, ...rest] = PINNED
    ? ['taskset', '-c', PINNED[placement], ...node]
    : node
  return spawn(command, rest, { cwd: SERVER_DIR, ...options })
}

/** Runs a throughput plan in a fresh, pinned process of its own (load.ts). */
export async function runLoad(plan: LoadPlan): Promise<LoadRun[]> {
  const child = spawnTsx('others', ['bench/load.ts', JSON.stringify(plan)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`load generator exited with ${code}`)
  return JSON.parse(output) as LoadRun[]
}

/** SIGTERM, then wait for the exit; SIGKILL if it takes longer than `graceMs`. */
export async function stop(child: Child, graceMs = 10_000): Promise<number | null> {
  if (child.process.exitCode !== null) return child.process.exitCode
  const exited = new Promise<number | null>((resolve) =>
    child.process.once('exit', (code) => resolve(code)),
  )
  child.process.kill('SIGTERM')
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs)
  const code = await exited
  clearTimeout(timer)
  return code
}

/** Resident set size of a child, in MiB (Linux /proc). */
export function rssMiB(child: Child): number {
  const status = readFileSync(`/proc/${child.process.pid}/status`, 'utf8')
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return Math.round((kib / 1024) * 10) / 10
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

/** The simulator's control routes (docs/simulator.md). */
export async function simControl<T = void>(
  sim: Child,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${sim.url}/__sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status}`)
  return (res.status === 204 ? undefined : await res.json()) as T
}
