import { serve } from '@hono/node-server'
import { seedDemoBatches } from './demo-batches.ts'
import { createSimulator } from './simulator.ts'
import { readSimulatorConfig, type SimulatorConfig } from './simulator-config.ts'

// `pnpm simulator`: the fake Woodpecker as its own process (docs/simulator.md).

function main(): void {
  let config: SimulatorConfig
  try {
    config = readSimulatorConfig(process.env)
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }
  const sim = createSimulator({ apiKey: config.apiKey, latencyMs: config.latencyMs })
  seedDemoBatches(sim)
  const server = serve(
    { fetch: sim.app.fetch, port: config.port, hostname: config.host },
    (info) => {
      const latency = Array.isArray(config.latencyMs)
        ? config.latencyMs.join('-')
        : config.latencyMs
      console.log(
        `Woodpecker simulator on http://${config.host}:${info.port}/rest (latency ${latency} ms, demo batches seeded)`,
      )
    },
  )
  const stop = () => {
    // A `hang` keeps its connection open until the client gives up: close connections too.
    if ('closeAllConnections' in server) server.closeAllConnections()
    server.close(() => process.exit(0))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

main()
