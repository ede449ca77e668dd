import type {
  ApiErrorBody,
  EnrichmentMeta,
  EnrichmentResponse,
  HealthResponse,
  Lead,
} from '@enrichment-watch/server/contract'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import { MemoryRouter, useLocation } from 'react-router'
import { vi } from 'vitest'
import { AppRoutes } from './app'

export const BATCH = '088e2d8a-d8ac-41fc-969f-0ba4102682ac'

export function lead(n: number, status = 'PENDING', result: string | null = null): Lead {
  return {
    uid: `0SVOUNZGlkzJ5fRrBxUdiQ_${String(n).padStart(4, '0')}`,
    status,
    processing_result: result,
  }
}

export function enrichment(
  leads: Lead[],
  meta: Partial<EnrichmentMeta> = {},
  uuid = BATCH,
): EnrichmentResponse {
  return {
    lead_enrichment: { uuid, created: '2026-12-04T19:00:00+01:00', leads },
    meta: {
      fetched_at: new Date().toISOString(),
      age_ms: 0,
      stale: false,
      error: null,
      complete: leads.every((item) => item.status !== 'PENDING'),
      next_poll_ms: 4000,
      mode: 'live',
      ...meta,
    },
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export function apiError(
  status: number,
  code: string,
  headers: Record<string, string> = {},
): Response {
  const body: ApiErrorBody = {
    title: TITLES[status] ?? 'Error',
    status,
    details: `problem: ${code}`,
    timestamp: '2026-12-04 18:00:00',
    code,
  }
  return json(body, status, headers)
}

type Answer = Response | Error | (() => Response | Error)

/**
 * A `fetch` stand-in answering by path. Each path takes a queue of answers; the last one repeats.
 * `/api/health` answers live mode unless given.
 */
export function mockFetch(routes: Record<string, Answer[]>) {
  const queues = new Map(Object.entries(routes).map(([path, answers]) => [path, [...answers]]))
  const fetchMock = vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
    const path =
      typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url
    const queue = queues.get(path)
    if (!queue || queue.length === 0) {
      if (path === '/api/health')
        return json({ status: 'ok', mode: 'live' } satisfies HealthResponse)
      throw new Error(`unexpected fetch ${path}`)
    }
    const next = queue.length > 1 ? queue.shift() : queue[0]
    const answer = typeof next === 'function' ? next() : next
    if (answer instanceof Error) throw answer
    // A Response body can be read once: hand out a copy so a repeated answer still works.
    return (answer as Response).clone()
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

export function batchCalls(fetchMock: ReturnType<typeof mockFetch>): number {
  return fetchMock.mock.calls.filter(([input]) => String(input).startsWith('/api/enrichments/'))
    .length
}

let currentLocation = ''
function LocationSpy() {
  const location = useLocation()
  currentLocation = `${location.pathname}${location.search}`
  return null
}

export function renderApp(path: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const view = render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
        <LocationSpy />
      </MemoryRouter>
    </QueryClientProvider>,
  )
  return { ...view, queryClient, location: () => currentLocation }
}
