import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Mode } from './contract.ts'
import { LOG_LEVELS, type LogLevel } from './logger.ts'
import type { RateLimitSettings } from './rate-limit.ts'
import { DEFAULT_SCHEDULER_SETTINGS, type SchedulerSettings } from './upstream/scheduler.ts'

export interface Config {
  mode: Mode
  /**
   * The Woodpecker key in live mode, null in demo mode. Not enumerable, so printing or
   * serialising a Config never shows it.
   */
  readonly apiKey: string | null
  /** Without a trailing slash; the client appends the endpoint path. */
  baseUrl: string
  port: number
  host: string
  upstreamTimeoutMs: number
  scheduler: SchedulerSettings
  /** Absolute path of the built SPA (index.html, assets/). */
  staticDir: string
  /**
   * HTTP basic auth in front of every page and API route but /api/health; null when
   * DASHBOARD_PASSWORD is unset. The password is not enumerable, like the key.
   */
  access: { readonly user: string; readonly password: string } | null
  /** Per-client limit on /api; null when RATE_LIMIT_PER_MIN is 0. */
  rateLimit: RateLimitSettings | null
  /** Take the client address from the last X-Forwarded-For entry (behind a reverse proxy). */
  trustProxy: boolean
  logLevel: LogLevel
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

export const DEFAULT_BASE_URL = 'https://api.woodpecker.co/rest'
export const DEFAULT_PORT = 8787
export const DEFAULT_HOST = '127.0.0.1'
/**
 * Woodpecker lets a queued request wait up to 15 s before processing it (its API reference, "Rate
 * limits"), so a deadline at or below that would abandon requests Woodpecker is still going to
 * answer. 25 s leaves room for that wait plus the processing itself.
 */
export const WOODPECKER_QUEUE_WAIT_MS = 15_000
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 25_000

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

type Env = Record<string, string | undefined>

interface IntegerRule {
  name: string
  key: keyof SchedulerSettings
  min: number
  max: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

const SCHEDULER_RULES: IntegerRule[] = [
  // More than one in flight only makes sense if Woodpecker ever lifts its 1-at-a-time rule;
  // its queue holds 6, so anything beyond that is dropped by the upstream anyway.
  { name: 'UPSTREAM_CONCURRENCY', key: 'concurrency', min: 1, max: 6 },
  { name: 'UPSTREAM_MIN_GAP_MS', key: 'minGapMs', min: 0, max: 60_000 },
  { name: 'CACHE_FRESH_MS', key: 'freshMs', min: 0, max: HOUR_MS },
  { name: 'CACHE_COMPLETE_MS', key: 'completeMs', min: 0, max: 7 * DAY_MS },
  { name: 'CACHE_NOT_FOUND_MS', key: 'notFoundMs', min: 0, max: DAY_MS },
  { name: 'CACHE_MAX_BATCHES', key: 'maxBatches', min: 1, max: 1_000_000 },
  { name: 'WATCH_TTL_MS', key: 'watchTtlMs', min: 1_000, max: DAY_MS },
  { name: 'QUEUE_LIMIT', key: 'queueLimit', min: 1, max: 100_000 },
  { name: 'POLL_MIN_MS', key: 'pollMinMs', min: 100, max: HOUR_MS },
  { name: 'POLL_MAX_MS', key: 'pollMaxMs', min: 100, max: HOUR_MS },
  { name: 'BACKOFF_BASE_MS', key: 'backoffBaseMs', min: 1, max: HOUR_MS },
  { name: 'BACKOFF_MAX_MS', key: 'backoffMaxMs', min: 1, max: DAY_MS },
]

/** Environment → Config. Pure: reads only `env`. Throws ConfigError with one line naming the variable. */
export function loadConfig(env: Env): Config {
  const apiKey = readApiKey(env)
  const scheduler = { ...DEFAULT_SCHEDULER_SETTINGS }
  for (const rule of SCHEDULER_RULES) {
    scheduler[rule.key] = readInteger(env, rule.name, scheduler[rule.key], rule.min, rule.max)
  }
  if (scheduler.pollMaxMs < scheduler.pollMinMs) {
    throw new ConfigError(
      `POLL_MAX_MS must be at least POLL_MIN_MS (${scheduler.pollMinMs}) (got "${scheduler.pollMaxMs}")`,
    )
  }
  if (scheduler.backoffMaxMs < scheduler.backoffBaseMs) {
    throw new ConfigError(
      `BACKOFF_MAX_MS must be at least BACKOFF_BASE_MS (${scheduler.backoffBaseMs}) (got "${scheduler.backoffMaxMs}")`,
    )
  }

  const config = {
    mode: apiKey === null ? 'demo' : 'live',
    baseUrl: readBaseUrl(env),
    port: readInteger(env, 'PORT', DEFAULT_PORT, 1, 65_535),
    host: readHost(env),
    upstreamTimeoutMs: readInteger(
      env,
      'UPSTREAM_TIMEOUT_MS',
      DEFAULT_UPSTREAM_TIMEOUT_MS,
      WOODPECKER_QUEUE_WAIT_MS + 1,
      300_000,
    ),
    scheduler,
    staticDir: readStaticDir(env),
    access: readAccess(env),
    rateLimit: readRateLimit(env),
    trustProxy: readBoolean(env, 'TRUST_PROXY', false),
    logLevel: readLogLevel(env),
  } satisfies Omit<Config, 'apiKey'>
  Object.defineProperty(config, 'apiKey', { value: apiKey, enumerable: false })
  return config as Config
}

function readAccess(env: Env): Config['access'] {
  const password = env.DASHBOARD_PASSWORD
  if (password === undefined || password === '') return null
  const user = readRaw(env, 'DASHBOARD_USER') ?? 'ops'
  if (user.includes(':'))
    throw new ConfigError(`DASHBOARD_USER must not contain ":" (got ${shown(user)})`)
  const access = { user }
  Object.defineProperty(access, 'password', { value: password, enumerable: false })
  return access as { user: string; password: string }
}

function readRateLimit(env: Env): RateLimitSettings | null {
  // The server advises at most one poll a second per open batch page, so 1200 a minute is twenty
  // batches watched at full pace from one address: room for a few people sharing a NAT.
  const perMinute = readInteger(env, 'RATE_LIMIT_PER_MIN', 1_200, 0, 1_000_000)
  if (perMinute === 0) return null
  const burst = readInteger(env, 'RATE_LIMIT_BURST', 200, 1, 1_000_000)
  return { perMinute, burst, maxClients: 10_000 }
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = readRaw(env, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (['1', 'true', 'yes'].includes(raw)) return true
  if (['0', 'false', 'no'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false (got ${shown(raw)})`)
}

function readLogLevel(env: Env): LogLevel {
  const raw = readRaw(env, 'LOG_LEVEL')?.toLowerCase()
  if (raw === undefined) return 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${shown(raw)})`)
  }
  return raw as LogLevel
}

function readRaw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** The offending value, quoted and cut short, so the error stays one readable line. */
function shown(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 60)}…` : value
  return JSON.stringify(cut)
}

function readApiKey(env: Env): string | null {
  const key = readRaw(env, 'WOODPECKER_API_KEY')
  if (key === undefined) return null
  // fetch rejects such a header value with an error message that quotes it; refuse it here,
  // without echoing it, so the key never reaches a log line.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new ConfigError(
      'WOODPECKER_API_KEY must be printable ASCII without spaces (value not shown)',
    )
  }
  return key
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readRaw(env, name)
  if (raw === undefined) return fallback
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got ${shown(raw)})`)
  }
  return value
}

function readBaseUrl(env: Env): string {
  const raw = readRaw(env, 'WOODPECKER_BASE_URL')
  if (raw === undefined) return DEFAULT_BASE_URL
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`WOODPECKER_BASE_URL must be an http(s) URL (got ${shown(raw)})`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`WOODPECKER_BASE_URL must be an http(s) URL (got ${shown(raw)})`)
  }
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError(
      `WOODPECKER_BASE_URL must not have a query or fragment (got ${shown(raw)})`,
    )
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL would end up in logs; the key travels in its header only.
    throw new ConfigError('WOODPECKER_BASE_URL must not contain credentials (value not shown)')
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function readHost(env: Env): string {
  const raw = readRaw(env, 'HOST')
  if (raw === undefined) return DEFAULT_HOST
  if (!/^(?:[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/.test(raw) || raw.length > 253) {
    throw new ConfigError(`HOST must be a host name or IP address (got ${shown(raw)})`)
  }
  return raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw
}

function readStaticDir(env: Env): string {
  const raw = readRaw(env, 'STATIC_DIR')
  // Relative to the repo root, not the working directory: `pnpm --filter` runs in server/.
  if (raw === undefined) return resolve(REPO_ROOT, 'web/dist')
  return isAbsolute(raw) ? raw : resolve(REPO_ROOT, raw)
}
