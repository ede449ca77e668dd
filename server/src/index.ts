import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { DEMO_BATCHES, seedDemoBatches } from './simulator/demo-batches.ts'
import { createSimulator } from './simulator/simulator.ts'
import { createScheduler } from './upstream/scheduler.ts'
import { fromFetch, undiciTransport } from './upstream/transport.ts'
import type { WoodpeckerClient } from './upstream/types.ts'
import { createWoodpeckerClient } from './upstream/woodpecker-client.ts'

// The only module with side effects: environment → config → upstream → app → listen.

const ENV_FILE = fileURLToPath(new URL('../../.env', import.meta.url))
/** In-flight requests get this long to finish after SIGTERM/SIGINT. */
const SHUTDOWN_GRACE_MS = 10_000
/** Demo mode talks to the in-process simulator through this base; nothing resolves it. */
const DEMO_BASE_URL = 'http://simulator.invalid/rest'

function main(): void {
  const config = readConfig()
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.apiKey, config.access?.password],
  })
  const client = createUpstream(config)
  const scheduler = createScheduler({ client, settings: config.scheduler, mode: config.mode })
  const app = createApp({
    config,
    enrichments: scheduler,
    logger,
    demoBatches: config.mode === 'demo' ? DEMO_BATCHES : undefined,
  })
  if (!config.access && !isLoopback(config.host)) {
    logger.warn(
      `WARNING: listening on ${config.host} with no DASHBOARD_PASSWORD: anyone who can reach this address can read every batch of the Woodpecker account. Set DASHBOARD_PASSWORD, or serve it behind a reverse proxy with SSO.`,
    )
  }

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const origin = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${info.port}`
    const demo = DEMO_BATCHES[0]
    logger.info(
      config.mode === 'live'
        ? `Enrichment Watch on ${origin} (live: ${config.baseUrl})`
        : `Enrichment Watch on ${origin} (demo mode, no WOODPECKER_API_KEY set) — watch a running batch: ${origin}/batches/${demo?.uuid}`,
    )
  })
  server.on('error', (error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE'
        ? `port ${config.port} is already in use (set PORT)`
        : error.code === 'EACCES'
          ? `no permission to listen on port ${config.port} (set PORT)`
          : (error.code ?? error.message)
    logger.error(`Enrichment Watch could not listen on ${config.host}:${config.port}: ${reason}`)
    process.exit(1)
  })

  let stopping = false
  function shutdown(signal: string): void {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(1)
    }
    stopping = true
    logger.info(`${signal} received: finishing open requests, then stopping`)
    const force = setTimeout(() => {
      logger.error(`Requests still open after ${SHUTDOWN_GRACE_MS / 1000} s: stopping anyway`)
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    force.unref()
    server.close(() => {
      scheduler.close()
      process.exit(0)
    })
    // Keep-alive sockets with no request in progress would otherwise hold close() open.
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true
  return isIP(host) === 4 && host.startsWith('127.')
}

/** The environment wins over `.env`; an invalid value stops start-up with one line. */
function readConfig(): Config {
  let fileEnv: Record<string, string | undefined> = {}
  if (existsSync(ENV_FILE)) {
    try {
      fileEnv = parseEnv(readFileSync(ENV_FILE, 'utf8'))
    } catch (error) {
      console.error(`Could not read ${ENV_FILE}: ${(error as Error).message}`)
      process.exit(1)
    }
  }
  try {
    return loadConfig({ ...fileEnv, ...process.env })
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
}

/**
 * Live: Woodpecker over the network. Demo: the simulator in-process, reached through the same
 * client code, so demo mode exercises the path a real key takes.
 */
function createUpstream(config: Config): WoodpeckerClient {
  if (config.apiKey !== null) {
    return createWoodpeckerClient({
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      transport: undiciTransport(),
      timeoutMs: config.upstreamTimeoutMs,
    })
  }
  const apiKey = `demo-${randomUUID()}`
  const sim = createSimulator({ apiKey })
  seedDemoBatches(sim)
  return createWoodpeckerClient({
    baseUrl: DEMO_BASE_URL,
    apiKey,
    transport: fromFetch(sim.fetch),
    timeoutMs: config.upstreamTimeoutMs,
  })
}

main()
