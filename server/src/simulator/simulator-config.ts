// SIM_* environment variables for `pnpm simulator` (docs/simulator.md).

export interface SimulatorConfig {
  port: number
  host: string
  apiKey: string
  latencyMs: number | [number, number]
}

/** Reads SIM_* variables; throws a message naming the variable that is wrong. */
export function readSimulatorConfig(env: NodeJS.ProcessEnv): SimulatorConfig {
  const port = Number(env.SIM_PORT ?? '8790')
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SIM_PORT must be a port number, got ${JSON.stringify(env.SIM_PORT)}`)
  }
  const apiKey = env.SIM_API_KEY || 'sim-key'
  const latencyText = env.SIM_LATENCY_MS ?? '80-160'
  const latency = /^(\d+)(?:-(\d+))?$/.exec(latencyText.trim())
  if (!latency || (latency[2] !== undefined && Number(latency[2]) < Number(latency[1]))) {
    throw new Error(
      `SIM_LATENCY_MS must be a number or min-max, got ${JSON.stringify(latencyText)}`,
    )
  }
  const min = Number(latency[1])
  return {
    port,
    host: env.SIM_HOST || '127.0.0.1',
    apiKey,
    latencyMs: latency[2] === undefined ? min : [min, Number(latency[2])],
  }
}
