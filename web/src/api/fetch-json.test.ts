import { expect, test, vi } from 'vitest'
import { apiError, json } from '../test-utils'
import { ApiError, isPermanent, parseRetryAfter } from './api-error'
import { fetchJson } from './fetch-json'

function answering(response: Response | Error | DOMException) {
  return vi.fn(async () => {
    if (!(response instanceof Response)) throw response
    return response
  })
}

test('returns the parsed body of a 2xx answer and passes the abort signal through', async () => {
  const fetchImpl = answering(json({ status: 'ok', mode: 'demo' }))
  const controller = new AbortController()
  const body = await fetchJson('/api/health', { signal: controller.signal, fetchImpl })
  expect(body).toEqual({ status: 'ok', mode: 'demo' })
  expect(fetchImpl).toHaveBeenCalledWith(
    '/api/health',
    expect.objectContaining({ signal: controller.signal }),
  )
})

test('throws ApiError with status, code and Retry-After from a 503 busy answer', async () => {
  const fetchImpl = answering(apiError(503, 'busy', { 'retry-after': '7' }))
  const error = await fetchJson('/api/x', { fetchImpl }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ApiError)
  expect(error).toMatchObject({ status: 503, code: 'busy', retryAfterMs: 7000 })
})

test('reads a Woodpecker-style body that spells the field "detail"', async () => {
  const fetchImpl = answering(
    json({ title: 'Forbidden', status: 403, detail: 'No API addon' }, 403),
  )
  const error = await fetchJson('/api/x', { fetchImpl }).catch((e: unknown) => e)
  expect(error).toMatchObject({ status: 403, code: 'unknown', details: 'No API addon' })
})

test('survives an HTML error page from a proxy and picks a code from the status', async () => {
  const fetchImpl = answering(new Response('<html>Bad gateway</html>', { status: 502 }))
  const error = await fetchJson('/api/x', { fetchImpl }).catch((e: unknown) => e)
  expect(error).toMatchObject({ status: 502, code: 'upstream_error', retryAfterMs: null })
})

test('turns a failed connection into code "network"', async () => {
  const fetchImpl = answering(new TypeError('Failed to fetch'))
  const error = await fetchJson('/api/x', { fetchImpl }).catch((e: unknown) => e)
  expect(error).toMatchObject({ status: 0, code: 'network' })
})

test('rethrows an abort as it is, not as a network failure', async () => {
  const controller = new AbortController()
  controller.abort()
  const abort = new DOMException('aborted', 'AbortError')
  const fetchImpl = answering(abort)
  await expect(fetchJson('/api/x', { signal: controller.signal, fetchImpl })).rejects.toBe(abort)
})

test('parses Retry-After as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-12-04T19:00:00Z')
  expect(parseRetryAfter('3', now)).toBe(3000)
  expect(parseRetryAfter('Fri, 04 Dec 2026 19:00:10 GMT', now)).toBe(10_000)
  expect(parseRetryAfter('soon', now)).toBeNull()
  expect(parseRetryAfter(null, now)).toBeNull()
})

test('treats 4xx as permanent and 5xx or network failures as passing', () => {
  expect(isPermanent(new ApiError({ status: 404, code: 'not_found', details: '' }))).toBe(true)
  expect(isPermanent(new ApiError({ status: 400, code: 'invalid_uuid', details: '' }))).toBe(true)
  expect(isPermanent(new ApiError({ status: 503, code: 'busy', details: '' }))).toBe(false)
  expect(isPermanent(new ApiError({ status: 0, code: 'network', details: '' }))).toBe(false)
})
