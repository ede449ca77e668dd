import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, test } from 'vitest'
import { DEMO_BATCHES } from './demo-batches.ts'

// `pnpm simulator` as a real process: one start-up line without the key, demo batches seeded,
// a clean exit on SIGTERM/SIGINT even while a `hang` holds a connection open.

const KEY = 'main-test-key-9d41'
const serverDir = fileURLToPath(new URL('../..', import.meta.url))
let child: ChildProcess | undefined

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  child = undefined
})

async function start(): Promise<{ base: string; lines: string[] }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, SIM_PORT: '0', SIM_API_KEY: KEY, SIM_LATENCY_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child = proc
  const lines: string[] = []
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean))
      const match = /http:\/\/\S+?\/rest/.exec(chunk)
      if (match) resolve(match[0])
    })
    proc.once('exit', (code) => reject(new Error(`simulator exited early with ${code}`)))
  })
  return { base: url, lines }
}

test.each(['SIGTERM', 'SIGINT'] as const)(
  'starts with one line that hides the key, serves demo batches, exits 0 on %s',
  async (signal) => {
    const { base, lines } = await start()
    expect(lines).toHaveLength(1)
    expect(lines[0]).not.toContain(KEY)

    const uuid = DEMO_BATCHES[1]?.uuid
    const res = await fetch(`${base}/v2/lead_finder/leads/enrichments/${uuid}`, {
      headers: { 'x-api-key': KEY },
    })
    expect(res.status).toBe(200)

    const origin = base.replace(/\/rest$/, '')
    await fetch(`${origin}/__sim/fault`, { method: 'PUT', body: JSON.stringify({ kind: 'hang' }) })
    const hung = fetch(`${base}/v2/lead_finder/leads/enrichments/${uuid}`, {
      headers: { 'x-api-key': KEY },
    }).catch((error: unknown) => error)
    await new Promise((resolve) => setTimeout(resolve, 100))

    const exited = once(child as ChildProcess, 'exit')
    child?.kill(signal)
    const [code] = await exited
    expect(code).toBe(0)
    expect(await hung).toBeInstanceOf(Error)
  },
  20_000,
)
