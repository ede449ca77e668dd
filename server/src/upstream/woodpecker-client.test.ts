import { afterEach, describe, expect, test, vi } from 'vitest'
import { createSimulator } from '../simulator/simulator.ts'
import { rejectionOf } from './rejection.ts'
import { type Fetch, fromFetch } from './transport.ts'
import { UpstreamError } from './types.ts'
import {
  createWoodpeckerClient,
  parseLeadEnrichment,
  parseRetryAfter,
} from './woodpecker-client.ts'

const KEY = 'test-key-7f3a9c'
const BASE = 'http://sim.test/rest'
const PATH = '/rest/v2/lead_finder/leads/enrichments/'
const UUID = '088e2d8a-d8ac-41fc-969f-0ba4102682ac'

function setup(options: { key?: string; timeoutMs?: number } = {}) {
  const sim = createSimulator({ apiKey: KEY, latencyMs: 0 })
  const client = createWoodpeckerClient({
    baseUrl: BASE,
    apiKey: options.key ?? KEY,
    transport: fromFetch(sim.fetch),
    timeoutMs: options.timeoutMs ?? 5_000,
  })
  return { sim, client }
}

/** A client over a hand-written fetch, for answers the simulator cannot give. */
function fakeClient(answer: Fetch, options: { now?: () => number; timeoutMs?: number } = {}) {
  const fetch = vi.fn(answer)
  const client = createWoodpeckerClient({
    baseUrl: BASE,
    apiKey: KEY,
    transport: fromFetch(fetch),
    timeoutMs: options.timeoutMs ?? 5_000,
    now: options.now,
  })
  return { fetch, client }
}

const failure = (work: unknown) => rejectionOf(work, UpstreamError)

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

function batchBody(uuid = UUID, leads: unknown[] = []) {
  return { lead_enrichment: { uuid, created: '2026-05-01T10:00:00+02:00', leads } }
}

afterEach(() => {
  vi.useRealTimers()
})

test('returns the batch the simulator holds', async () => {
  const { sim, client } = setup()
  const uuid = sim.addBatch({ leads: 3, mode: 'manual' })
  sim.flip(uuid, 1)

  const enrichment = await client.getEnrichment(uuid)

  expect(enrichment.uuid).toBe(uuid)
  expect(enrichment.created).toMatch(/[+-]\d{2}:\d{2}$|Z$/)
  expect(enrichment.leads).toHaveLength(3)
  expect(enrichment.leads.map((lead) => lead.status)).toEqual(['PROCESSED', 'PENDING', 'PENDING'])
  expect(enrichment.leads[1]?.processing_result).toBeNull()
})

test('sends one GET to the constant path with only the key and accept headers', async () => {
  const { sim, client } = setup()
  const uuid = sim.addBatch({ leads: 1 })

  await client.getEnrichment(uuid)

  const log = sim.stats().log
  expect(log).toHaveLength(1)
  expect(log[0]?.method).toBe('GET')
  expect(log[0]?.path).toBe(`${PATH}${uuid}`)
  expect(log[0]?.headers).toEqual({ 'x-api-key': KEY, accept: 'application/json' })
})

test('an upper-case batch id is requested in lower case', async () => {
  const { sim, client } = setup()
  const uuid = sim.addBatch({ uuid: UUID, leads: 1 })

  const enrichment = await client.getEnrichment(uuid.toUpperCase())

  expect(enrichment.uuid).toBe(UUID)
  expect(sim.stats().log[0]?.path).toBe(`${PATH}${UUID}`)
})

test.each([
  '..%2F..%2Fv1%2Fme',
  `${UUID}/extra`,
  `${UUID}?x=1`,
  ` ${UUID}`,
  `${UUID}0`,
  '',
  '../../v1/me',
])('refuses the batch id %j without calling upstream', async (id) => {
  const { sim, client } = setup()
  await expect(client.getEnrichment(id)).rejects.toThrow(TypeError)
  expect(sim.stats().requests).toBe(0)
})

test('unknown statuses and results pass through as strings', async () => {
  const { sim, client } = setup()
  const uuid = sim.addBatch({
    leads: 2,
    complete: true,
    statuses: ['FAILED', 'PROCESSED'],
    results: ['SOMETHING_NEW', 'CONVERTED_TO_PROSPECT'],
  })

  const enrichment = await client.getEnrichment(uuid)

  expect(enrichment.leads.map((lead) => [lead.status, lead.processing_result])).toEqual([
    ['FAILED', 'SOMETHING_NEW'],
    ['PROCESSED', 'CONVERTED_TO_PROSPECT'],
  ])
})

describe('simulator faults', () => {
  test('an unknown batch is not_found', async () => {
    const { sim, client } = setup()
    const error = await failure(client.getEnrichment(UUID))
    expect(error.code).toBe('not_found')
    expect(error.upstreamStatus).toBe(404)
    expect(sim.stats().requests).toBe(1)
  })

  test('a rejected key is upstream_unauthorized and its text is not echoed', async () => {
    const { sim, client } = setup({ key: 'wrong-key-0000' })
    const uuid = sim.addBatch()
    const error = await failure(client.getEnrichment(uuid))
    expect(error.code).toBe('upstream_unauthorized')
    expect(error.upstreamStatus).toBe(401)
    expect(error.details).not.toContain('wrong-key-0000')
  })

  test('the unauthorized fault is upstream_unauthorized', async () => {
    const { sim, client } = setup()
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'unauthorized' })
    expect((await failure(client.getEnrichment(uuid))).code).toBe('upstream_unauthorized')
  })

  test('429 with Retry-After is upstream_throttled with the delay in ms', async () => {
    const { sim, client } = setup()
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'throttled_429', retryAfterS: 7 })
    const error = await failure(client.getEnrichment(uuid))
    expect(error.code).toBe('upstream_throttled')
    expect(error.retryAfterMs).toBe(7_000)
  })

  test('429 without Retry-After is upstream_throttled with no delay', async () => {
    const { sim, client } = setup()
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'throttled_429' })
    const error = await failure(client.getEnrichment(uuid))
    expect(error.code).toBe('upstream_throttled')
    expect(error.retryAfterMs).toBeUndefined()
  })

  test('400 carrying E_TOO_MANY_REQUESTS is upstream_throttled', async () => {
    const { sim, client } = setup()
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'throttled_400' })
    const error = await failure(client.getEnrichment(uuid))
    expect(error.code).toBe('upstream_throttled')
    expect(error.upstreamStatus).toBe(400)
  })

  test('a request the upstream queue drops is upstream_throttled', async () => {
    const sim = createSimulator({ apiKey: KEY, latencyMs: 30, queueLimit: 1 })
    const client = createWoodpeckerClient({
      baseUrl: BASE,
      apiKey: KEY,
      transport: fromFetch(sim.fetch),
      timeoutMs: 5_000,
    })
    const uuid = sim.addBatch()
    const results = await Promise.allSettled([1, 2, 3].map(() => client.getEnrichment(uuid)))
    const codes = results.map((result) =>
      result.status === 'rejected' ? (result.reason as UpstreamError).code : 'ok',
    )
    expect(codes).toEqual(['ok', 'ok', 'upstream_throttled'])
    expect(sim.stats().dropped).toBe(1)
  })

  test.each([
    ['error_500', 500],
    ['html_502', 502],
  ] as const)('%s is upstream_error', async (kind, status) => {
    const { sim, client } = setup()
    const uuid = sim.addBatch()
    sim.setFault({ kind })
    const error = await failure(client.getEnrichment(uuid))
    expect(error.code).toBe('upstream_error')
    expect(error.upstreamStatus).toBe(status)
  })

  test('a reset connection is upstream_error', async () => {
    const { sim, client } = setup()
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'reset' })
    const error = await failure(client.getEnrichment(uuid))
    expect(error.code).toBe('upstream_error')
    expect(error.upstreamStatus).toBeUndefined()
  })

  test('a hanging upstream is upstream_timeout and the request is aborted upstream', async () => {
    const { sim, client } = setup({ timeoutMs: 50 })
    const uuid = sim.addBatch()
    sim.setFault({ kind: 'hang' })
    const error = await failure(client.getEnrichment(uuid))
    expect(error.code).toBe('upstream_timeout')
    await vi.waitFor(() => expect(sim.stats().inFlight).toBe(0))
  })

  test.each(['malformed_json', 'wrong_shape'] as const)(
    '%s is upstream_bad_response',
    async (kind) => {
      const { sim, client } = setup()
      const uuid = sim.addBatch()
      sim.setFault({ kind })
      const error = await failure(client.getEnrichment(uuid))
      expect(error.code).toBe('upstream_bad_response')
    },
  )

  test('latency alone still returns the batch', async () => {
    const { sim, client } = setup()
    const uuid = sim.addBatch({ leads: 2 })
    sim.setFault({ kind: 'latency', ms: 20 })
    expect((await client.getEnrichment(uuid)).leads).toHaveLength(2)
  })
})

describe('answers only a hand-written fetch can give', () => {
  test('a redirect is refused, not followed', async () => {
    const { fetch, client } = fakeClient(
      async () =>
        new Response(null, { status: 302, headers: { location: 'https://evil.test/steal' } }),
    )
    const error = await failure(client.getEnrichment(UUID))
    expect(error.code).toBe('upstream_error')
    expect(error.upstreamStatus).toBe(302)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(fetch.mock.calls[0]?.[1].redirect).toBe('manual')
  })

  test.each([
    [403, { title: 'Forbidden', status: 403, detail: 'No API addon' }],
    [400, { title: 'Bad Request', status: 400, detail: 'Upgrade your plan' }],
    [400, { title: 'Bad Request', status: 400, details: 'Invalid api key' }],
    [403, 'Forbidden'],
  ])('%i %j is upstream_unauthorized', async (status, body) => {
    const { client } = fakeClient(async () =>
      typeof body === 'string' ? new Response(body, { status }) : json(body, status),
    )
    expect((await failure(client.getEnrichment(UUID))).code).toBe('upstream_unauthorized')
  })

  test('any other 400 is upstream_error', async () => {
    const { client } = fakeClient(async () =>
      json({ title: 'Bad Request', status: 400, details: 'Something else' }, 400),
    )
    expect((await failure(client.getEnrichment(UUID))).code).toBe('upstream_error')
  })

  test('a Retry-After HTTP date becomes the delay until then', async () => {
    const now = Date.parse('2026-12-04T19:00:00Z')
    const { client } = fakeClient(
      async () => json({}, 429, { 'retry-after': 'Fri, 04 Dec 2026 19:00:30 GMT' }),
      { now: () => now },
    )
    expect((await failure(client.getEnrichment(UUID))).retryAfterMs).toBe(30_000)
  })

  test('an upstream error text quoting the key is masked', async () => {
    const { client } = fakeClient(async () =>
      json({ status: 500, details: `key ${KEY} exploded` }, 500),
    )
    const error = await failure(client.getEnrichment(UUID))
    expect(error.code).toBe('upstream_error')
    expect(error.details).not.toContain(KEY)
    expect(error.message).not.toContain(KEY)
  })

  test('a network error whose message quotes the key does not carry it into details', async () => {
    const { client } = fakeClient(async () => {
      throw new TypeError(`Headers.append: "${KEY}" is an invalid header value.`)
    })
    const error = await failure(client.getEnrichment(UUID))
    expect(error.code).toBe('upstream_error')
    expect(error.details).not.toContain(KEY)
  })

  test('a refused connection is upstream_error naming the cause', async () => {
    const { client } = fakeClient(async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      })
    })
    const error = await failure(client.getEnrichment(UUID))
    expect(error.code).toBe('upstream_error')
    expect(error.details).toContain('ECONNREFUSED')
  })

  test('a 200 for a different batch is upstream_bad_response', async () => {
    const { client } = fakeClient(async () =>
      json(batchBody('11111111-2222-3333-4444-555555555555')),
    )
    expect((await failure(client.getEnrichment(UUID))).code).toBe('upstream_bad_response')
  })

  test('a 200 body over 1 MiB is upstream_bad_response', async () => {
    const { client } = fakeClient(async () => new Response(' '.repeat(1024 * 1024 + 1)))
    expect((await failure(client.getEnrichment(UUID))).code).toBe('upstream_bad_response')
  })

  test('an endless error body is read only so far and still mapped', async () => {
    const chunk = new TextEncoder().encode('E_TOO_MANY_REQUESTS '.repeat(100))
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(chunk)
      },
    })
    const { client } = fakeClient(async () => new Response(endless, { status: 400 }))
    expect((await failure(client.getEnrichment(UUID))).code).toBe('upstream_throttled')
  })

  test('a 200 whose body never ends is upstream_timeout', async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"lead_enrichment":'))
      },
    })
    const { client } = fakeClient(async () => new Response(stalled), { timeoutMs: 50 })
    expect((await failure(client.getEnrichment(UUID))).code).toBe('upstream_timeout')
  })

  test('a fetch that ignores the abort signal still ends at the deadline', async () => {
    const { client } = fakeClient(() => new Promise<Response>(() => {}), { timeoutMs: 50 })
    expect((await failure(client.getEnrichment(UUID))).code).toBe('upstream_timeout')
  })
})

describe('parseLeadEnrichment', () => {
  test('keeps the documented fields and drops the rest', () => {
    const parsed = parseLeadEnrichment({
      extra: true,
      lead_enrichment: {
        uuid: UUID,
        created: '2026-05-01T10:00:00+02:00',
        owner: 'someone',
        leads: [{ uid: 'a_0000', status: 'PENDING', processing_result: null, email: 'x@y.z' }],
      },
    })
    expect(parsed).toEqual({
      uuid: UUID,
      created: '2026-05-01T10:00:00+02:00',
      leads: [{ uid: 'a_0000', status: 'PENDING', processing_result: null }],
    })
  })

  test.each([
    ['null', null],
    ['an array', [batchBody()]],
    ['no lead_enrichment', { enrichment: batchBody().lead_enrichment }],
    ['a numeric uuid', { lead_enrichment: { uuid: 1, created: 'x', leads: [] } }],
    ['no created', { lead_enrichment: { uuid: UUID, leads: [] } }],
    ['leads as an object', { lead_enrichment: { uuid: UUID, created: 'x', leads: {} } }],
    ['a lead that is a string', batchBody(UUID, ['a_0000'])],
    ['a lead without uid', batchBody(UUID, [{ status: 'PENDING', processing_result: null }])],
    ['a numeric status', batchBody(UUID, [{ uid: 'a', status: 1, processing_result: null }])],
    ['a missing result', batchBody(UUID, [{ uid: 'a', status: 'PENDING' }])],
    ['a numeric result', batchBody(UUID, [{ uid: 'a', status: 'X', processing_result: 0 }])],
    [
      'too many leads',
      batchBody(
        UUID,
        Array.from({ length: 1001 }, (_, i) => ({
          uid: `l${i}`,
          status: 'PENDING',
          processing_result: null,
        })),
      ),
    ],
    [
      'an absurdly long uid',
      batchBody(UUID, [{ uid: 'x'.repeat(10_000), status: 'PENDING', processing_result: null }]),
    ],
  ])('rejects %s as upstream_bad_response', (_label, body) => {
    let caught: unknown
    try {
      parseLeadEnrichment(body)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(UpstreamError)
    expect((caught as UpstreamError).code).toBe('upstream_bad_response')
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-04T19:00:00Z')

  test.each([
    ['0', 0],
    ['3', 3_000],
    [' 12 ', 12_000],
    ['86400', 600_000],
    ['Fri, 04 Dec 2026 19:01:00 GMT', 60_000],
    ['Fri, 04 Dec 2026 18:00:00 GMT', 0],
    ['Sat, 05 Dec 2026 19:00:00 GMT', 600_000],
  ])('%j → %i ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })

  test.each([
    '',
    'soon',
    '-5',
    '1.5',
    '5 seconds',
    '2027-01-01T00:00:00Z',
    'Fri, 99 Foo 2026 19:01:00 GMT',
  ])('%j is ignored', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined()
  })

  test('a missing header is no delay', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})
