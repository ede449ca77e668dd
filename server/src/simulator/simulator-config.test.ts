import { expect, test } from 'vitest'
import { readSimulatorConfig } from './simulator-config.ts'

test('defaults match docs/simulator.md', () => {
  expect(readSimulatorConfig({})).toEqual({
    port: 8790,
    host: '127.0.0.1',
    apiKey: 'sim-key',
    latencyMs: [80, 160],
  })
})

test('SIM_LATENCY_MS takes a number or min-max', () => {
  expect(readSimulatorConfig({ SIM_LATENCY_MS: '20' }).latencyMs).toBe(20)
  expect(readSimulatorConfig({ SIM_LATENCY_MS: '5-50' }).latencyMs).toEqual([5, 50])
})

test.each([
  [{ SIM_LATENCY_MS: 'fast' }, /SIM_LATENCY_MS/],
  [{ SIM_LATENCY_MS: '50-5' }, /SIM_LATENCY_MS/],
  [{ SIM_PORT: 'eighty' }, /SIM_PORT/],
  [{ SIM_PORT: '70000' }, /SIM_PORT/],
])('a bad value stops start-up naming the variable (%o)', (env, message) => {
  expect(() => readSimulatorConfig(env)).toThrow(message)
})
