import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ServerType, serve } from '@hono/node-server'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { freePort } from '../bench/processes.ts'
import { createSimulator, FAULT_KINDS, type FaultKind } from './simulator/simulator.ts'

// The key must never leave the server: not in the browser bundle, a response or a log line.
// This builds the SPA with the key in the build environment, runs the real server process with
// it against a real simulator, drives every kind of answer, and scans everything that came out.

const CANARY = 'wpk-canary-7f3e91c4d2b8a6'
const PASSWORD = 'dash-canary-pw-5b21'
const REPO = fileURLToPath(new URL('../../', import.meta.url))
const SERVER_DIR = join(REPO, 'server')
const WEB_DIR = join(REPO, 'web')

let buildDir: string
let upstream: ServerType
let server: ChildProcess
let serverOutput = ''
let origin: string
const sim = createSimulator({ apiKey: CANARY, latencyMs: 0 })

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'enrichment-watch-leak-'))
  const build = spawn(
    process.execPath,
    [
      join(WEB_DIR, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      buildDir,
      '--emptyOutDir',
    ],
    {
      cwd: WEB_DIR,
      // Everything a careless build could pick up: the key under its own name and Vite's prefix.
      env: {
        ...process.env,
        WOODPECKER_API_KEY: CANARY,
        VITE_WOODPECKER_API_KEY: CANARY,
        DASHBOARD_PASSWORD: PASSWORD,
      },
      stdio: 'ignore',
    },
  )
  const [code] = await once(build, 'exit')
  if (code !== 0) throw new Error(`vite build exited ${code}`)

  upstream = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(upstream, 'listening')
  const address = upstream.address()
  if (address === null || typeof address === 'string') throw new Error('no simulator port')

  const port = await freePort()
  origin = `http://127.0.0.1:${port}`
  server = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      WOODPECKER_API_KEY: CANARY,
      WOODPECKER_BASE_URL: `http://127.0.0.1:${address.port}/rest`,
      STATIC_DIR: buildDir,
      LOG_LEVEL: 'debug',
      DASHBOARD_PASSWORD: PASSWORD,
      UPSTREAM_MIN_GAP_MS: '0',
      BACKOFF_BASE_MS: '1',
      BACKOFF_MAX_MS: '5',
      CACHE_FRESH_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout?.on('data', (chunk: Buffer) => {
    serverOutput += chunk.toString()
  })
  server.stderr?.on('data', (chunk: Buffer) => {
    serverOutput += chunk.toString()
  })
  while (!serverOutput.includes('\n')) {
    if (server.exitCode !== null) throw new Error(`server exited: ${serverOutput}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}, 120_000)

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await once(server, 'exit')
  }
  upstream?.close()
  if (buildDir) rmSync(buildDir, { recursive: true, force: true })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

const AUTH = { authorization: `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}` }

/** Status line, every header and the body: everything a browser could see. */
async function seen(path: string, headers: Record<string, string> = AUTH): Promise<string> {
  const response = await fetch(origin + path, { headers })
  return `${response.status}\n${JSON.stringify([...response.headers])}\n${await response.text()}`
}

test('the built SPA contains neither the key nor the dashboard password', () => {
  const files = filesUnder(buildDir)
  expect(files.some((file) => file.endsWith('.js'))).toBe(true)
  for (const file of files) {
    const text = readFileSync(file).toString('latin1')
    expect(text, file).not.toContain(CANARY)
    expect(text, file).not.toContain(PASSWORD)
  }
})

test('no response and no log line carries the key or the password, whatever the upstream does', async () => {
  const outputs: string[] = []
  const ok = sim.addBatch({ leads: 3 })
  const index = await seen('/')
  outputs.push(index, await seen(`/batches/${ok}`), await seen('/api/health', {}))
  for (const asset of index.matchAll(/\/assets\/[\w.-]+/g)) outputs.push(await seen(asset[0]))
  outputs.push(
    await seen(`/api/enrichments/${ok}`),
    await seen(`/api/enrichments/${ok}`, {}),
    await seen('/api/enrichments/00000000-0000-4000-8000-000000000000'),
    await seen(`/api/enrichments/${CANARY}`),
    await seen('/api/nope'),
    // A browser trying to smuggle a key of its own is not echoed either.
    await seen(`/api/enrichments/${ok}`, { ...AUTH, 'x-api-key': 'browser-key' }),
  )
  const kinds = FAULT_KINDS.filter((kind): kind is Exclude<FaultKind, 'hang'> => kind !== 'hang')
  for (const kind of kinds) {
    const seenBefore = sim.addBatch({ leads: 2 })
    outputs.push(await seen(`/api/enrichments/${seenBefore}`))
    const never = sim.addBatch({ leads: 2 })
    sim.setFault({ kind, ms: 5, retryAfterS: 0 })
    outputs.push(await seen(`/api/enrichments/${never}`))
    outputs.push(await seen(`/api/enrichments/${seenBefore}`))
    await new Promise((resolve) => setTimeout(resolve, 20))
    outputs.push(await seen(`/api/enrichments/${seenBefore}`))
    sim.setFault(null)
  }
  server.kill('SIGTERM')
  await once(server, 'exit')

  // The key really was in use: Woodpecker (the simulator) received it on every call.
  const received = sim.stats().log
  expect(received.length).toBeGreaterThan(kinds.length)
  expect(received.every((request) => request.headers['x-api-key'] === CANARY)).toBe(true)
  // And the scan can see: the server did log requests and errors.
  expect(serverOutput).toMatch(/GET \/api\/enrichments\/.* 200 /)
  expect(outputs.join('\n')).toContain('upstream_unauthorized')

  for (const output of [...outputs, serverOutput]) {
    expect(output).not.toContain(CANARY)
    expect(output).not.toContain(PASSWORD)
  }
}, 60_000)
