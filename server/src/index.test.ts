import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { type ServerType, serve } from '@hono/node-server'
import { afterEach, expect, test } from 'vitest'
import { freePort } from '../bench/processes.ts'
import type { EnrichmentResponse, HealthResponse } from './contract.ts'
import { createSimulator } from './simulator/simulator.ts'

// The entry as a user runs it: a real process, loopback only, stopped by each test.

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url))
const KEY = 'entry-key-93b1f0'
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: SERVER_DIR,
    // A clean environment: no WOODPECKER_* from the machine running the tests.
    env: { PATH: process.env.PATH ?? '', STATIC_DIR: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves with stdout once it has a whole line. */
    firstLine: () =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '')
        }
        child.stdout?.on('data', check)
        child.once('exit', () => reject(new Error(`exited early: ${stderr}`)))
        check()
      }),
  }
}

test('an invalid variable stops start-up with one line naming it and exit code 1', async () => {
  const server = start({ PORT: 'abc', WOODPECKER_API_KEY: KEY })
  expect(await server.exited).toBe(1)
  const { stdout, stderr } = server.output()
  expect(stderr).toBe('PORT must be an integer from 1 to 65535 (got "abc")\n')
  expect(stdout).toBe('')
}, 20_000)

test('demo mode starts with a link to a running demo batch and stops cleanly on SIGTERM', async () => {
  const port = await freePort()
  const server = start({ PORT: String(port) })

  const line = await server.firstLine()
  expect(line).toContain(`http://127.0.0.1:${port}`)
  expect(line).toContain('demo')
  const link = /http:\/\/127\.0\.0\.1:\d+\/batches\/([0-9a-f-]{36})/.exec(line)
  expect(link).not.toBeNull()

  const health = (await (
    await fetch(`http://127.0.0.1:${port}/api/health`)
  ).json()) as HealthResponse
  expect(health.mode).toBe('demo')
  const batch = await fetch(`http://127.0.0.1:${port}/api/enrichments/${link?.[1]}`)
  expect(batch.status).toBe(200)
  expect(((await batch.json()) as EnrichmentResponse).meta.mode).toBe('demo')

  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
}, 20_000)

test('live mode never prints the key', async () => {
  const port = await freePort()
  const closedPort = await freePort()
  const server = start({
    PORT: String(port),
    WOODPECKER_API_KEY: KEY,
    WOODPECKER_BASE_URL: `http://127.0.0.1:${closedPort}/rest`,
  })

  const line = await server.firstLine()
  expect(line).toContain('live')
  const health = await fetch(`http://127.0.0.1:${port}/api/health`)
  expect(await health.text()).not.toContain(KEY)
  const failed = await fetch(
    `http://127.0.0.1:${port}/api/enrichments/088e2d8a-d8ac-41fc-969f-0ba4102682ac`,
  )
  expect(failed.status).toBe(502)
  expect(await failed.text()).not.toContain(KEY)

  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
  const { stdout, stderr } = server.output()
  expect(stdout + stderr).not.toContain(KEY)
}, 20_000)

test('listening beyond loopback with no DASHBOARD_PASSWORD warns loudly at start-up', async () => {
  const open = start({ PORT: String(await freePort()), HOST: '0.0.0.0' })
  await open.firstLine()
  open.child.kill('SIGTERM')
  expect(await open.exited).toBe(0)
  expect(open.output().stderr).toMatch(
    /WARNING: listening on 0\.0\.0\.0 with no DASHBOARD_PASSWORD/,
  )

  const guarded = start({
    PORT: String(await freePort()),
    HOST: '0.0.0.0',
    DASHBOARD_PASSWORD: 'pw',
  })
  await guarded.firstLine()
  guarded.child.kill('SIGTERM')
  expect(await guarded.exited).toBe(0)
  expect(guarded.output().stderr).not.toContain('WARNING')
}, 20_000)

test('SIGTERM mid-traffic lets every request in flight finish, then exits 0', async () => {
  // A real upstream that takes a while: requests are still open when the signal arrives.
  const sim = createSimulator({ apiKey: KEY, latencyMs: 300 })
  const uuids = Array.from({ length: 4 }, () => sim.addBatch({ leads: 3 }))
  const upstream: ServerType = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(upstream, 'listening')
  const address = upstream.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  try {
    const port = await freePort()
    const server = start({
      PORT: String(port),
      WOODPECKER_API_KEY: KEY,
      WOODPECKER_BASE_URL: `http://127.0.0.1:${address.port}/rest`,
      UPSTREAM_MIN_GAP_MS: '0',
    })
    await server.firstLine()

    const answers = uuids.map((uuid) =>
      fetch(`http://127.0.0.1:${port}/api/enrichments/${uuid}`).then((res) => res.status),
    )
    // The first upstream call is under way and three more batches wait for the slot.
    await waitFor(() => sim.stats().requests >= 1)
    server.child.kill('SIGTERM')

    expect(await Promise.all(answers)).toEqual([200, 200, 200, 200])
    expect(await server.exited).toBe(0)
    expect(sim.stats().requests).toBe(4)
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow()
  } finally {
    upstream.close()
  }
}, 20_000)

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}
