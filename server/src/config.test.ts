import { isAbsolute, join } from 'node:path'
import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'
import { DEFAULT_SCHEDULER_SETTINGS } from './upstream/scheduler.ts'

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('loadConfig accepted the environment')
}

test('an empty environment gives demo mode with the documented defaults', () => {
  const config = loadConfig({})
  expect(config.mode).toBe('demo')
  expect(config.apiKey).toBeNull()
  expect(config.baseUrl).toBe('https://api.woodpecker.co/rest')
  expect(config.port).toBe(8787)
  expect(config.host).toBe('127.0.0.1')
  expect(config.upstreamTimeoutMs).toBe(25_000)
  expect(config.scheduler).toEqual(DEFAULT_SCHEDULER_SETTINGS)
})

test.each(['', '   ', '\t\n'])('a blank key %j means demo mode', (key) => {
  expect(loadConfig({ WOODPECKER_API_KEY: key }).mode).toBe('demo')
})

test('a key gives live mode and is kept without surrounding whitespace', () => {
  const config = loadConfig({ WOODPECKER_API_KEY: '  secret-key-123 ' })
  expect(config.mode).toBe('live')
  expect(config.apiKey).toBe('secret-key-123')
})

test('printing or serialising the config does not show the key', () => {
  const config = loadConfig({ WOODPECKER_API_KEY: 'secret-key-123' })
  expect(JSON.stringify(config)).not.toContain('secret-key-123')
  expect(inspect(config, { depth: 10 })).not.toContain('secret-key-123')
  expect({ ...config }).not.toHaveProperty('apiKey')
})

test('a key that cannot travel in a header is refused without echoing it', () => {
  const error = configError({ WOODPECKER_API_KEY: 'abc def\u00e9' })
  expect(error.message).toMatch(/^WOODPECKER_API_KEY /)
  expect(error.message).not.toContain('abc')
})

describe('WOODPECKER_BASE_URL', () => {
  test.each([
    ['http://127.0.0.1:8790/rest', 'http://127.0.0.1:8790/rest'],
    ['http://127.0.0.1:8790/rest/', 'http://127.0.0.1:8790/rest'],
    ['https://api.woodpecker.co/rest//', 'https://api.woodpecker.co/rest'],
    ['https://example.test', 'https://example.test'],
    ['', 'https://api.woodpecker.co/rest'],
  ])('%j becomes %j', (value, expected) => {
    expect(loadConfig({ WOODPECKER_BASE_URL: value }).baseUrl).toBe(expected)
  })

  test.each([
    'ftp://example.test/rest',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'api.woodpecker.co/rest',
    'https://example.test/rest?x=1',
    'https://example.test/rest?',
    'https://example.test/rest#frag',
  ])('%j is refused with a line naming the variable', (value) => {
    const error = configError({ WOODPECKER_BASE_URL: value })
    expect(error.message).toMatch(/^WOODPECKER_BASE_URL /)
    expect(error.message).not.toContain('\n')
  })

  test('credentials in the URL are refused without echoing them', () => {
    const error = configError({ WOODPECKER_BASE_URL: 'https://user:hunter2@example.test/rest' })
    expect(error.message).toMatch(/^WOODPECKER_BASE_URL /)
    expect(error.message).not.toContain('hunter2')
  })
})

describe('PORT', () => {
  test.each([
    ['1', 1],
    ['65535', 65535],
    [' 3000 ', 3000],
  ])('%j is accepted', (value, expected) => {
    expect(loadConfig({ PORT: value }).port).toBe(expected)
  })

  test('a non-numeric port names the variable and the value on one line', () => {
    expect(configError({ PORT: 'abc' }).message).toBe(
      'PORT must be an integer from 1 to 65535 (got "abc")',
    )
  })

  test.each(['0', '65536', '-1', '80.5', '1e3', '0x50', '8080abc', '99999999999999999999'])(
    '%j is refused',
    (value) => {
      expect(configError({ PORT: value }).message).toMatch(/^PORT must be an integer/)
    },
  )

  test('a long or multi-line value still gives a one-line message', () => {
    const message = configError({ PORT: `x\n${'y'.repeat(500)}` }).message
    expect(message).not.toContain('\n')
    expect(message.length).toBeLessThan(200)
  })
})

describe('HOST', () => {
  test.each([
    ['0.0.0.0', '0.0.0.0'],
    ['localhost', 'localhost'],
    ['::1', '::1'],
    ['[::1]', '::1'],
  ])('%j is accepted as %j', (value, expected) => {
    expect(loadConfig({ HOST: value }).host).toBe(expected)
  })

  test.each(['http://0.0.0.0', '0.0.0.0:8787x', 'a b', 'host/path'])('%j is refused', (value) => {
    expect(configError({ HOST: value }).message).toMatch(/^HOST /)
  })
})

describe('UPSTREAM_TIMEOUT_MS', () => {
  test('a deadline above the 15 s upstream queue wait is accepted', () => {
    expect(loadConfig({ UPSTREAM_TIMEOUT_MS: '20000' }).upstreamTimeoutMs).toBe(20_000)
  })

  test.each(['15000', '5000', '0'])(
    '%j is refused: it would abandon requests Woodpecker still answers',
    (value) => {
      expect(configError({ UPSTREAM_TIMEOUT_MS: value }).message).toMatch(
        /^UPSTREAM_TIMEOUT_MS must be an integer from 15001 /,
      )
    },
  )
})

describe('scheduler settings', () => {
  test('every variable reaches its setting', () => {
    const config = loadConfig({
      UPSTREAM_CONCURRENCY: '2',
      UPSTREAM_MIN_GAP_MS: '0',
      CACHE_FRESH_MS: '1500',
      CACHE_COMPLETE_MS: '120000',
      CACHE_NOT_FOUND_MS: '5000',
      CACHE_MAX_BATCHES: '50',
      WATCH_TTL_MS: '30000',
      QUEUE_LIMIT: '3',
      POLL_MIN_MS: '500',
      POLL_MAX_MS: '10000',
      BACKOFF_BASE_MS: '250',
      BACKOFF_MAX_MS: '8000',
    })
    expect(config.scheduler).toEqual({
      concurrency: 2,
      minGapMs: 0,
      freshMs: 1500,
      completeMs: 120_000,
      notFoundMs: 5000,
      maxBatches: 50,
      watchTtlMs: 30_000,
      queueLimit: 3,
      pollMinMs: 500,
      pollMaxMs: 10_000,
      backoffBaseMs: 250,
      backoffMaxMs: 8000,
    })
  })

  test.each([
    ['UPSTREAM_CONCURRENCY', '0'],
    ['UPSTREAM_CONCURRENCY', '7'],
    ['UPSTREAM_MIN_GAP_MS', '-5'],
    ['CACHE_FRESH_MS', 'soon'],
    ['CACHE_COMPLETE_MS', '1.5'],
    ['CACHE_NOT_FOUND_MS', '999999999999'],
    ['CACHE_MAX_BATCHES', '0'],
    ['WATCH_TTL_MS', '10'],
    ['QUEUE_LIMIT', '0'],
    ['POLL_MIN_MS', '0'],
    ['POLL_MAX_MS', 'x'],
    ['BACKOFF_BASE_MS', '0'],
    ['BACKOFF_MAX_MS', '-1'],
  ])('%s=%j is refused with a line naming it', (name, value) => {
    const message = configError({ [name]: value }).message
    expect(message.startsWith(`${name} must be`)).toBe(true)
    expect(message).toContain(JSON.stringify(value))
  })

  test('POLL_MAX_MS below POLL_MIN_MS is refused', () => {
    expect(configError({ POLL_MIN_MS: '5000', POLL_MAX_MS: '4000' }).message).toMatch(
      /^POLL_MAX_MS /,
    )
  })

  test('BACKOFF_MAX_MS below BACKOFF_BASE_MS is refused', () => {
    expect(configError({ BACKOFF_BASE_MS: '5000', BACKOFF_MAX_MS: '4000' }).message).toMatch(
      /^BACKOFF_MAX_MS /,
    )
  })
})

describe('STATIC_DIR', () => {
  test('defaults to web/dist of the repository', () => {
    const dir = loadConfig({}).staticDir
    expect(isAbsolute(dir)).toBe(true)
    expect(dir.endsWith(join('web', 'dist'))).toBe(true)
    expect(dir).not.toContain(join('server', 'web'))
  })

  test('an absolute path is kept and a relative one resolves from the repository root', () => {
    expect(loadConfig({ STATIC_DIR: '/srv/spa' }).staticDir).toBe('/srv/spa')
    const relative = loadConfig({ STATIC_DIR: 'web/other' }).staticDir
    expect(relative).toBe(join(loadConfig({}).staticDir, '..', 'other'))
  })
})

describe('access, limits and logs', () => {
  test('by default: no password, 1200 requests a minute per client, proxy not trusted, info logs', () => {
    const config = loadConfig({})
    expect(config.access).toBeNull()
    expect(config.rateLimit).toEqual({ perMinute: 1_200, burst: 200, maxClients: 10_000 })
    expect(config.trustProxy).toBe(false)
    expect(config.logLevel).toBe('info')
  })

  test('DASHBOARD_PASSWORD turns on access control for user ops, and is never printed', () => {
    const config = loadConfig({ DASHBOARD_PASSWORD: 'hunter2-x' })
    expect(config.access?.user).toBe('ops')
    expect(config.access?.password).toBe('hunter2-x')
    expect(JSON.stringify(config)).not.toContain('hunter2-x')
    expect(inspect(config, { depth: 5 })).not.toContain('hunter2-x')
    expect(loadConfig({ DASHBOARD_PASSWORD: 'p', DASHBOARD_USER: 'sales' }).access?.user).toBe(
      'sales',
    )
  })

  test('RATE_LIMIT_PER_MIN=0 turns the limit off', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MIN: '0' }).rateLimit).toBeNull()
  })

  test.each([
    [{ DASHBOARD_USER: 'a:b', DASHBOARD_PASSWORD: 'p' }, 'DASHBOARD_USER'],
    [{ RATE_LIMIT_PER_MIN: '-1' }, 'RATE_LIMIT_PER_MIN'],
    [{ RATE_LIMIT_BURST: '0' }, 'RATE_LIMIT_BURST'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
  ])('%j is refused with a line naming %s', (env, name) => {
    const error = configError(env)
    expect(error.message.startsWith(`${name} must`)).toBe(true)
    expect(error.message).not.toContain('\n')
  })
})
