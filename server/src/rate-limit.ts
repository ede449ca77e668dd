/**
 * A token bucket per client: `burst` requests at once, refilled at `perMinute`. One client (a
 * script, a tab gone wild) cannot starve the team, while a person watching many batches stays far
 * below it. Memory is bounded: past `maxClients`, the least recently seen client is forgotten.
 */
export interface RateLimitSettings {
  perMinute: number
  burst: number
  maxClients: number
}

export type RateLimitDecision = { ok: true } | { ok: false; retryAfterMs: number }

export interface RateLimiter {
  take(client: string): RateLimitDecision
  size(): number
}

interface Bucket {
  tokens: number
  updatedAt: number
}

export function createRateLimiter(
  settings: RateLimitSettings,
  now: () => number = Date.now,
): RateLimiter {
  const buckets = new Map<string, Bucket>()
  const refillPerMs = settings.perMinute / 60_000

  function take(client: string): RateLimitDecision {
    const at = now()
    const bucket = buckets.get(client) ?? { tokens: settings.burst, updatedAt: at }
    bucket.tokens = Math.min(settings.burst, bucket.tokens + (at - bucket.updatedAt) * refillPerMs)
    bucket.updatedAt = at
    // Re-inserting keeps the Map in least-recently-seen order for eviction.
    buckets.delete(client)
    buckets.set(client, bucket)
    if (buckets.size > settings.maxClients) {
      const oldest = buckets.keys().next().value
      if (oldest !== undefined) buckets.delete(oldest)
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { ok: true }
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / refillPerMs) }
  }

  return { take, size: () => buckets.size }
}
