import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'
import { DEMO_SERVER_URL, SERVER_URL, SIMULATOR_KEY, SIMULATOR_URL } from './e2e/support/env.ts'

const chromiumPath = process.env.PW_CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/e2e',
  fullyParallel: false,
  // One server, one upstream slot: a fault or throttle in one test pauses that slot for every
  // batch, so tests running side by side would see each other's faults.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI
    ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]]
    : 'list',
  use: {
    baseURL: SERVER_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: existsSync(chromiumPath) ? chromiumPath : undefined,
      args: [
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      command: 'pnpm simulator',
      url: `${SIMULATOR_URL}/__sim/health`,
      env: { SIM_PORT: '18790', SIM_API_KEY: SIMULATOR_KEY, SIM_LATENCY_MS: '20' },
      reuseExistingServer: false,
      // Start-up failures still show: stderr is piped. The per-request log would drown the report.
      stdout: 'ignore',
    },
    {
      command: 'pnpm build && pnpm --filter @enrichment-watch/server start',
      url: `${SERVER_URL}/api/health`,
      timeout: 120_000,
      env: {
        PORT: '18787',
        WOODPECKER_BASE_URL: `${SIMULATOR_URL}/rest`,
        WOODPECKER_API_KEY: SIMULATOR_KEY,
        CACHE_FRESH_MS: '250',
        POLL_MIN_MS: '300',
        UPSTREAM_MIN_GAP_MS: '0',
        BACKOFF_BASE_MS: '300',
        BACKOFF_MAX_MS: '2000',
        // The lowest deadline the server accepts (above Woodpecker's 15 s queue wait), so the
        // hanging-upstream test finishes in seconds rather than the default 25.
        UPSTREAM_TIMEOUT_MS: '15001',
      },
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      // No key: demo mode, with the server's own in-process simulator (only e2e/demo-mode.spec.ts
      // uses it). Started after the build above, so it serves the same SPA.
      command: 'pnpm --filter @enrichment-watch/server start',
      url: `${DEMO_SERVER_URL}/api/health`,
      timeout: 60_000,
      env: { PORT: '18788', WOODPECKER_API_KEY: '' },
      reuseExistingServer: false,
      stdout: 'ignore',
    },
  ],
})
