import { expect, test } from 'vitest'
import { createRateLimiter } from './rate-limit.ts'

function clock(start = 0) {
  let t = start
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms
    },
  }
}

test('allows a burst, then refuses with the time until the next token', () => {
  const time = clock()
  const limiter = createRateLimiter({ perMinute: 60, burst: 3, maxClients: 10 }, time.now)
  expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true])
  expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 1000 })
  time.advance(400)
  expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 600 })
  time.advance(600)
  expect(limiter.take('a').ok).toBe(true)
})

test('refills at the configured rate and never above the burst', () => {
  const time = clock()
  const limiter = createRateLimiter({ perMinute: 120, burst: 2, maxClients: 10 }, time.now)
  limiter.take('a')
  limiter.take('a')
  time.advance(60_000)
  expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, false])
})

test('one client exhausting its bucket does not limit another', () => {
  const limiter = createRateLimiter({ perMinute: 60, burst: 1, maxClients: 10 }, clock().now)
  expect(limiter.take('greedy').ok).toBe(true)
  expect(limiter.take('greedy').ok).toBe(false)
  expect(limiter.take('teammate').ok).toBe(true)
})

test('forgets the least recently seen client past maxClients', () => {
  const limiter = createRateLimiter({ perMinute: 60, burst: 1, maxClients: 2 }, clock().now)
  limiter.take('a')
  limiter.take('b')
  limiter.take('a')
  limiter.take('c')
  expect(limiter.size()).toBe(2)
  // 'a' was kept and is still empty; 'b' was evicted, so it starts with a full bucket again.
  expect(limiter.take('a').ok).toBe(false)
  expect(limiter.take('b').ok).toBe(true)
})
