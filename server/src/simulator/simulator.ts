import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Lead, LeadEnrichment } from '../contract.ts'
import { titleFor } from '../errors.ts'

// A Woodpecker-faithful fake of the one upstream call (docs/simulator.md,
// ../shared/woodpecker-api.md). Pure module: nothing starts until a caller serves `app` or
// calls `fetch`.

export type BatchMode = 'timed' | 'manual'

export interface BatchScript {
  uuid?: string
  leads?: number
  mode?: BatchMode
  durationMs?: number
  startOnFirstRequest?: boolean
  convertedRatio?: number
  results?: string[]
  statuses?: string[]
  complete?: boolean
}

export const FAULT_KINDS = [
  'latency',
  'error_500',
  'html_502',
  'hang',
  'reset',
  'malformed_json',
  'wrong_shape',
  'unauthorized',
  'throttled_429',
  'throttled_400',
] as const

export type FaultKind = (typeof FAULT_KINDS)[number]

export interface Fault {
  kind: FaultKind
  /** Only requests for this batch. */
  uuid?: string
  /** Only the next N matching requests; until cleared when absent. */
  times?: number
  /** `latency`: extra milliseconds. */
  ms?: number
  /** `throttled_429`: value of the Retry-After header. */
  retryAfterS?: number
}

export interface LoggedRequest {
  /** ISO 8601, from the simulator's clock. */
  at: string
  method: string
  /** Path and query string exactly as received (not decoded). */
  path: string
  /** Every request header, names lower-cased. */
  headers: Record<string, string>
}

export interface SimulatorStats {
  requests: number
  processed: number
  dropped: number
  maxConcurrent: number
  inFlight: number
  byBatch: Record<string, number>
  log: LoggedRequest[]
}

export interface SimulatorOptions {
  apiKey: string
  /** Time to process one request: a number or a [min, max] range. */
  latencyMs?: number | readonly [number, number]
  /** Enforce 1 processed / `queueLimit` waiting / `queueWaitMs`. */
  rules?: boolean
  queueLimit?: number
  queueWaitMs?: number
  /** Clock for batch progress and timestamps. */
  now?: () => number
}

export interface Simulator {
  app: Hono
  fetch: typeof fetch
  addBatch(script?: BatchScript): string
  flip(uuid: string, count?: number): number
  setFault(fault: Fault | null): void
  stats(): SimulatorStats
  resetStats(): void
  reset(): void
}

/** A script or fault that makes no sense; the control routes answer it with 400. */
export class SimulatorInputError extends Error {
  override name = 'SimulatorInputError'
}

const ENRICHMENT_PATH = /^\/rest\/v2\/lead_finder\/leads\/enrichments\/([^/]+)$/
const LOG_LIMIT = 1000
/** A `hang` ends when the caller aborts; this cap only keeps a forgotten one from living forever. */
const HANG_CAP_MS = 10 * 60_000
const MAX_LEADS = 50
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface Batch {
  uuid: string
  created: string
  leads: Array<{ uid: string; status: string; result: string; flipAtMs: number; forced: boolean }>
  mode: BatchMode
  startOnFirstRequest: boolean
  startedAt: number | null
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const now = options.now ?? (() => Date.now())
  const rules = options.rules ?? true
  const queueLimit = options.queueLimit ?? 6
  const queueWaitMs = options.queueWaitMs ?? 15_000
  const [latencyMin, latencyMax] = latencyRange(options.latencyMs ?? [80, 160])

  const batches = new Map<string, Batch>()
  let fault: { spec: Fault; remaining: number | undefined } | null = null
  let stats = emptyStats()
  let inFlight = 0

  // The rules: one slot, a FIFO of waiters handed the slot in turn.
  let slotBusy = false
  const waiters: Array<() => void> = []

  function releaseSlot(): void {
    const next = waiters.shift()
    if (next) next()
    else slotBusy = false
  }

  /** Resolves 'granted' (the caller now holds the slot), 'dropped' (answer 429) or 'aborted'. */
  async function acquireSlot(signal: AbortSignal): Promise<'granted' | 'dropped' | 'aborted'> {
    if (!rules) return 'granted'
    if (!slotBusy) {
      slotBusy = true
      return 'granted'
    }
    if (waiters.length >= queueLimit) return 'dropped'
    return new Promise((resolve) => {
      const waiter = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        resolve('granted')
      }
      const leave = (outcome: 'dropped' | 'aborted') => {
        const index = waiters.indexOf(waiter)
        if (index >= 0) waiters.splice(index, 1)
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        resolve(outcome)
      }
      const onAbort = () => leave('aborted')
      const timer = setTimeout(() => leave('dropped'), queueWaitMs)
      timer.unref?.()
      signal.addEventListener('abort', onAbort, { once: true })
      waiters.push(waiter)
    })
  }

  function takeFault(uuid: string | null): Fault | null {
    if (!fault) return null
    if (fault.spec.uuid !== undefined && fault.spec.uuid.toLowerCase() !== uuid) return null
    const taken = fault.spec
    if (fault.remaining !== undefined) {
      fault.remaining -= 1
      if (fault.remaining <= 0) fault = null
    }
    return taken
  }

  function errorBody(status: number, details: string) {
    return { title: titleFor(status), status, details, timestamp: timestamp(now()), extra: null }
  }

  /** Which leads are processed by now (a lead flips once `now` passes its time, or `flip`). */
  function processedLeads(batch: Batch): boolean[] {
    const elapsed = batch.startedAt === null ? -1 : now() - batch.startedAt
    return batch.leads.map(
      (lead) => lead.forced || (batch.mode === 'timed' && elapsed >= 0 && elapsed >= lead.flipAtMs),
    )
  }

  function snapshot(batch: Batch): LeadEnrichment {
    if (batch.startOnFirstRequest && batch.startedAt === null) batch.startedAt = now()
    const done = processedLeads(batch)
    return {
      uuid: batch.uuid,
      created: batch.created,
      leads: batch.leads.map(
        (lead, index): Lead =>
          done[index]
            ? { uid: lead.uid, status: lead.status, processing_result: lead.result }
            : { uid: lead.uid, status: 'PENDING', processing_result: null },
      ),
    }
  }

  /** Everything outside /__sim: counted, logged, key-checked, then run through the rules. */
  async function woodpecker(c: Context): Promise<Response> {
    const request = c.req.raw
    const url = new URL(request.url)
    const match = ENRICHMENT_PATH.exec(url.pathname)
    // The batch id as sent (for messages); lookups ignore letter case.
    const id = match?.[1] ? safeDecode(match[1]) : null
    const uuid = id?.toLowerCase() ?? null

    stats.requests += 1
    if (uuid !== null) stats.byBatch[uuid] = (stats.byBatch[uuid] ?? 0) + 1
    stats.log.push({
      at: new Date(now()).toISOString(),
      method: request.method,
      path: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
    })
    if (stats.log.length > LOG_LIMIT) stats.log.splice(0, stats.log.length - LOG_LIMIT)
    inFlight += 1
    stats.maxConcurrent = Math.max(stats.maxConcurrent, inFlight)

    try {
      if (request.headers.get('x-api-key') !== options.apiKey) {
        return c.json(errorBody(401, 'Invalid api key'), 401)
      }
      const slot = await acquireSlot(request.signal)
      if (slot === 'aborted') return new Response(null, { status: 499 })
      if (slot === 'dropped') {
        stats.dropped += 1
        return c.json(errorBody(429, 'Too many requests'), 429)
      }
      try {
        stats.processed += 1
        return await answer(c, id, request.signal)
      } finally {
        if (rules) releaseSlot()
      }
    } finally {
      inFlight -= 1
    }
  }

  /** One request holding the slot: latency, the fault if any, then the answer. */
  async function answer(c: Context, id: string | null, signal: AbortSignal): Promise<Response> {
    const uuid = id?.toLowerCase() ?? null
    const active = takeFault(uuid)
    const extra = active?.kind === 'latency' ? (active.ms ?? 0) : 0
    if (!(await sleep(pickLatency() + extra, signal))) return new Response(null, { status: 499 })

    switch (active?.kind) {
      case 'error_500':
        return c.json(
          errorBody(500, 'An unexpected error has occurred. Please try again later.'),
          500,
        )
      case 'html_502':
        return c.html(BAD_GATEWAY_HTML, 502)
      case 'hang':
        // Holds the slot until the caller gives up, as a stuck upstream would.
        await sleep(HANG_CAP_MS, signal)
        return c.html(GATEWAY_TIMEOUT_HTML, 504)
      case 'reset':
        return resetConnection(c)
      case 'unauthorized':
        return c.json(errorBody(401, 'Invalid api key'), 401)
      case 'throttled_429':
        if (active.retryAfterS !== undefined) c.header('Retry-After', String(active.retryAfterS))
        return c.json(errorBody(429, 'Too many requests'), 429)
      case 'throttled_400':
        return c.json(
          { status: { status: 'ERROR', code: 'E_TOO_MANY_REQUESTS', msg: 'Too many requests' } },
          400,
        )
    }

    if (id === null || uuid === null) {
      return c.json(errorBody(404, `No endpoint ${c.req.method} ${c.req.path}`), 404)
    }
    if (c.req.method !== 'GET') {
      return c.json(errorBody(405, `Request method '${c.req.method}' is not supported`), 405)
    }
    const batch = batches.get(uuid)
    if (!batch) {
      return c.json(errorBody(404, `Lead enrichment with uuid ${id} was not found`), 404)
    }
    const lead_enrichment = snapshot(batch)
    switch (active?.kind) {
      case 'malformed_json': {
        const text = JSON.stringify({ lead_enrichment })
        return c.body(text.slice(0, Math.ceil(text.length / 2)), 200, {
          'content-type': 'application/json',
        })
      }
      case 'wrong_shape':
        return c.json({
          lead_enrichment: {
            uuid: lead_enrichment.uuid,
            created: lead_enrichment.created,
            leads: Object.fromEntries(lead_enrichment.leads.map((lead) => [lead.uid, lead])),
          },
        })
    }
    return c.json({ lead_enrichment })
  }

  function pickLatency(): number {
    return latencyMin + Math.random() * (latencyMax - latencyMin)
  }

  function addBatch(script: BatchScript = {}): string {
    const batch = buildBatch(parseBatchScript(script), now())
    batches.set(batch.uuid, batch)
    return batch.uuid
  }

  function flip(uuid: string, count = 1): number {
    const batch = batches.get(uuid.toLowerCase())
    if (!batch) throw new SimulatorInputError(`no batch ${uuid}`)
    if (!Number.isInteger(count) || count < 0) {
      throw new SimulatorInputError('count must be a whole number ≥ 0')
    }
    const done = processedLeads(batch)
    let flipped = 0
    for (const [index, lead] of batch.leads.entries()) {
      if (flipped >= count) break
      if (!done[index]) {
        lead.forced = true
        flipped += 1
      }
    }
    return flipped
  }

  function setFault(spec: Fault | null): void {
    const parsed = spec === null ? null : parseFault(spec)
    fault = parsed === null ? null : { spec: parsed, remaining: parsed.times }
  }

  function currentStats(): SimulatorStats {
    return { ...stats, inFlight, byBatch: { ...stats.byBatch }, log: [...stats.log] }
  }

  function resetStats(): void {
    stats = emptyStats()
    stats.maxConcurrent = inFlight
  }

  const app = new Hono()
  app.onError((error, c) => {
    if (error instanceof ConnectionReset) throw error.failure
    if (error instanceof SimulatorInputError) return c.json(errorBody(400, error.message), 400)
    console.error(error)
    return c.json(errorBody(500, 'An unexpected error has occurred. Please try again later.'), 500)
  })

  app.get('/__sim/health', (c) => c.json({ status: 'ok' }))
  app.post('/__sim/batches', async (c) =>
    c.json({ uuid: addBatch(parseBatchScript(await jsonBody(c))) }, 201),
  )
  app.post('/__sim/batches/:uuid/flip', async (c) => {
    const body = await jsonBody(c, {})
    if (!isObject(body)) throw new SimulatorInputError('expected a JSON object')
    const count = body.count ?? 1
    if (typeof count !== 'number') throw new SimulatorInputError('count must be a number')
    const uuid = c.req.param('uuid')
    if (!batches.has(uuid.toLowerCase())) {
      return c.json(errorBody(404, `Lead enrichment with uuid ${uuid} was not found`), 404)
    }
    return c.json({ flipped: flip(uuid, count) })
  })
  app.put('/__sim/fault', async (c) => {
    setFault(parseFault(await jsonBody(c)))
    return c.body(null, 204)
  })
  app.delete('/__sim/fault', (c) => {
    setFault(null)
    return c.body(null, 204)
  })
  app.get('/__sim/stats', (c) => c.json(currentStats()))
  app.post('/__sim/stats/reset', (c) => {
    resetStats()
    return c.body(null, 204)
  })
  app.post('/__sim/reset', (c) => {
    reset()
    return c.body(null, 204)
  })
  app.all('/__sim/*', (c) =>
    c.json(errorBody(404, `No control route ${c.req.method} ${c.req.path}`), 404),
  )
  app.all('*', woodpecker)

  function reset(): void {
    batches.clear()
    fault = null
    resetStats()
  }

  const simFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    request.signal.throwIfAborted()
    const response = await app.fetch(request)
    // A real fetch rejects once its signal aborts, whatever the server was doing.
    request.signal.throwIfAborted()
    return response
  }

  return {
    app,
    fetch: simFetch,
    addBatch,
    flip,
    setFault,
    stats: currentStats,
    resetStats,
    reset,
  }
}

class ConnectionReset extends Error {
  // What undici's fetch rejects with when the peer resets the connection.
  readonly failure = new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      errno: -104,
      syscall: 'read',
    }),
  })
}

/** Served: reset the TCP connection. In-process (no socket): make `fetch` reject the same way. */
function resetConnection(c: Context): Response {
  const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket
  if (!socket) throw new ConnectionReset('connection reset')
  // resetAndDestroy sends a TCP RST, so the client sees ECONNRESET rather than a clean close.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
  return new Response(null, { status: 500 }) // never delivered: the socket is gone
}

function parseBatchScript(input: unknown): BatchScript {
  if (!isObject(input)) throw new SimulatorInputError('a batch script must be a JSON object')
  const script: BatchScript = {}
  const { uuid, leads, mode, durationMs, convertedRatio } = input
  if (uuid !== undefined) {
    if (typeof uuid !== 'string' || !UUID.test(uuid)) {
      throw new SimulatorInputError('uuid must be a canonical UUID')
    }
    script.uuid = uuid
  }
  if (leads !== undefined) {
    if (!Number.isInteger(leads) || (leads as number) < 1 || (leads as number) > MAX_LEADS) {
      throw new SimulatorInputError(`leads must be a whole number from 1 to ${MAX_LEADS}`)
    }
    script.leads = leads as number
  }
  if (mode !== undefined) {
    if (mode !== 'timed' && mode !== 'manual') {
      throw new SimulatorInputError("mode must be 'timed' or 'manual'")
    }
    script.mode = mode
  }
  if (durationMs !== undefined) {
    if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) {
      throw new SimulatorInputError('durationMs must be a number ≥ 0')
    }
    script.durationMs = durationMs
  }
  if (convertedRatio !== undefined) {
    if (typeof convertedRatio !== 'number' || !(convertedRatio >= 0 && convertedRatio <= 1)) {
      throw new SimulatorInputError('convertedRatio must be a number from 0 to 1')
    }
    script.convertedRatio = convertedRatio
  }
  for (const flag of ['startOnFirstRequest', 'complete'] as const) {
    const value = input[flag]
    if (value === undefined) continue
    if (typeof value !== 'boolean') throw new SimulatorInputError(`${flag} must be a boolean`)
    script[flag] = value
  }
  for (const list of ['results', 'statuses'] as const) {
    const value = input[list]
    if (value === undefined) continue
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw new SimulatorInputError(`${list} must be an array of strings`)
    }
    if (value.length > MAX_LEADS) throw new SimulatorInputError(`${list} has more than 50 entries`)
    script[list] = value
  }
  const count = script.leads ?? script.results?.length ?? script.statuses?.length ?? 10
  if ((script.results?.length ?? 0) > count || (script.statuses?.length ?? 0) > count) {
    throw new SimulatorInputError('results and statuses cannot be longer than leads')
  }
  return script
}

function parseFault(input: unknown): Fault {
  if (!isObject(input)) throw new SimulatorInputError('a fault must be a JSON object')
  const { kind, uuid, times, ms, retryAfterS } = input
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new SimulatorInputError(`kind must be one of ${FAULT_KINDS.join(', ')}`)
  }
  const fault: Fault = { kind: kind as FaultKind }
  if (uuid !== undefined) {
    if (typeof uuid !== 'string' || uuid === '')
      throw new SimulatorInputError('uuid must be a string')
    fault.uuid = uuid
  }
  if (times !== undefined) {
    if (!Number.isInteger(times) || (times as number) < 1) {
      throw new SimulatorInputError('times must be a whole number ≥ 1')
    }
    fault.times = times as number
  }
  for (const [name, value] of [
    ['ms', ms],
    ['retryAfterS', retryAfterS],
  ] as const) {
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new SimulatorInputError(`${name} must be a number ≥ 0`)
    }
    fault[name] = value
  }
  return fault
}

function buildBatch(script: BatchScript, createdAt: number): Batch {
  const uuid = (script.uuid ?? crypto.randomUUID()).toLowerCase()
  const random = seededRandom(uuid)
  const count = script.leads ?? script.results?.length ?? script.statuses?.length ?? 10
  const durationMs = script.durationMs ?? 60_000
  const mode = script.mode ?? 'timed'

  // Woodpecker's uids: an opaque prefix whose length varies, then _0000, _0001, …
  const prefix = randomChars(random, 16 + Math.floor(random() * 9))

  // Exactly round(ratio × leads) converted, at random positions.
  const converted = Math.round(count * (script.convertedRatio ?? 0.6))
  const order = shuffle(random, [...Array(count).keys()])
  const isConverted = new Set(order.slice(0, converted))

  const flipTimes = spreadTimes(random, count, durationMs)

  return {
    uuid,
    created: isoWithOffset(createdAt, OFFSETS_MIN[Math.floor(random() * OFFSETS_MIN.length)] ?? 0),
    mode,
    startOnFirstRequest: script.startOnFirstRequest ?? false,
    startedAt: script.startOnFirstRequest ? null : createdAt,
    leads: Array.from({ length: count }, (_, index) => ({
      uid: `${prefix}_${String(index).padStart(4, '0')}`,
      status: script.statuses?.[index] ?? 'PROCESSED',
      result:
        script.results?.[index] ??
        (isConverted.has(index) ? 'CONVERTED_TO_PROSPECT' : 'NOT_CONVERTED_TO_PROSPECT'),
      flipAtMs: flipTimes[index] ?? durationMs,
      forced: script.complete ?? false,
    })),
  }
}

/**
 * When each lead flips, from the start: uneven gaps summing to `durationMs`, handed to the leads
 * roughly in order (neighbours sometimes swap), as a real batch looks.
 */
function spreadTimes(random: () => number, count: number, durationMs: number): number[] {
  const gaps = Array.from({ length: count }, () => 0.4 + random() * 1.2)
  const total = gaps.reduce((sum, gap) => sum + gap, 0)
  let elapsed = 0
  const times = gaps.map((gap) => {
    elapsed += gap
    return Math.round((elapsed / total) * durationMs)
  })
  for (let index = 0; index + 1 < count; index += 1) {
    if (random() < 0.3) {
      const here = times[index] as number
      times[index] = times[index + 1] as number
      times[index + 1] = here
      index += 1
    }
  }
  return times
}

const OFFSETS_MIN = [0, 60, 120]

/** `2026-05-01T10:00:00+02:00`: ISO 8601 with an explicit offset, as Woodpecker sends `created`. */
function isoWithOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  const hours = String(Math.floor(abs / 60)).padStart(2, '0')
  const minutes = String(abs % 60).padStart(2, '0')
  return `${local}${sign}${hours}:${minutes}`
}

/** `YYYY-MM-DD HH:MM:SS` in UTC without a zone: the error dialect's timestamp. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** Resolves true after `ms`, or false as soon as `signal` aborts; never leaves a timer behind. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  if (ms <= 0) return Promise.resolve(true)
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    timer.unref?.()
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

function latencyRange(latency: number | readonly [number, number]): [number, number] {
  const [min, max] = typeof latency === 'number' ? [latency, latency] : latency
  if (!(min >= 0 && max >= min)) throw new SimulatorInputError(`bad latency ${String(latency)}`)
  return [min, max]
}

async function jsonBody(c: Context, fallback?: unknown): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '' && fallback !== undefined) return fallback
  try {
    return JSON.parse(text)
  } catch {
    throw new SimulatorInputError('the body is not JSON')
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** mulberry32 seeded by an FNV-1a hash: the same uuid always gives the same batch. */
function seededRandom(seed: string): () => number {
  let state = 2166136261
  for (const char of seed) state = Math.imul(state ^ char.charCodeAt(0), 16777619)
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1))
    ;[items[index], items[other]] = [items[other] as T, items[index] as T]
  }
  return items
}

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-'

function randomChars(random: () => number, length: number): string {
  return Array.from({ length }, () => URL_SAFE[Math.floor(random() * URL_SAFE.length)]).join('')
}

function emptyStats(): Omit<SimulatorStats, 'inFlight'> {
  return { requests: 0, processed: 0, dropped: 0, maxConcurrent: 0, byBatch: {}, log: [] }
}

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n'
const GATEWAY_TIMEOUT_HTML =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n'
