import type { EnrichmentResponse } from '@enrichment-watch/server/contract'
import { type QueryClient, type QueryState, queryOptions } from '@tanstack/react-query'
import { type ApiError, isPermanent } from './api-error'
import { fetchJson } from './fetch-json'

export const batchKeys = {
  all: ['batch'] as const,
  detail: (uuid: string) => ['batch', uuid] as const,
}

export const POLL_DEFAULT_MS = 4_000
/** Never hammer the server, whatever `next_poll_ms` says (a zero or a negative would loop hot). */
export const POLL_MIN_MS = 1_000
export const POLL_MAX_MS = 60_000
export const BACKOFF_BASE_MS = 2_000
export const BACKOFF_MAX_MS = 30_000

/** The parts of a query's state that decide the next request. */
export type BatchPollState = Pick<
  QueryState<EnrichmentResponse, ApiError>,
  'data' | 'error' | 'dataUpdatedAt' | 'errorUpdatedAt' | 'errorUpdateCount'
>

/**
 * How long to wait before asking again, from the query's state alone. Retries are not used: this
 * one function decides every next request, so there is a single place that paces the server.
 */
export function batchRefetchInterval(query: { state: BatchPollState }): number | false {
  const { data, error, dataUpdatedAt, errorUpdatedAt, errorUpdateCount } = query.state
  // Final outcomes do not change: nothing is worth asking again.
  if (data?.meta.complete) return false
  if (error) {
    if (isPermanent(error)) return false
    if (error.retryAfterMs !== null) return clamp(error.retryAfterMs, POLL_MIN_MS, POLL_MAX_MS)
    // Wait about as long as it has been failing, so consecutive failures double the gap.
    const failingFor =
      data !== undefined
        ? errorUpdatedAt - dataUpdatedAt
        : BACKOFF_BASE_MS * 2 ** Math.max(0, errorUpdateCount - 1)
    return clamp(failingFor, BACKOFF_BASE_MS, BACKOFF_MAX_MS)
  }
  if (data === undefined) return POLL_DEFAULT_MS
  const advice = data.meta.next_poll_ms
  return Number.isFinite(advice) ? clamp(advice, POLL_MIN_MS, POLL_MAX_MS) : POLL_DEFAULT_MS
}

function fetchBatch(uuid: string, signal: AbortSignal, current = false) {
  return fetchJson<EnrichmentResponse>(`/api/enrichments/${encodeURIComponent(uuid)}`, {
    signal,
    // The server answers a poll with its latest snapshot at once and refreshes it in turn; a
    // person pressing "Refresh now" wants current data and is willing to wait for it.
    headers: current ? { 'cache-control': 'no-cache' } : {},
  })
}

export function batchQueryOptions(uuid: string) {
  return queryOptions<EnrichmentResponse, ApiError, EnrichmentResponse, readonly unknown[]>({
    queryKey: batchKeys.detail(uuid),
    queryFn: ({ signal }) => fetchBatch(uuid, signal),
    refetchInterval: batchRefetchInterval,
    // People keep this page in a background tab; the title and favicon are how they watch it.
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
    retry: false,
    staleTime: (query) => (query.state.data?.meta.complete ? Number.POSITIVE_INFINITY : 0),
  })
}

/** "Refresh now": the same query, fetched once asking the server for current data. */
export function refreshBatch(queryClient: QueryClient, uuid: string): Promise<void> {
  return queryClient
    .fetchQuery({
      ...batchQueryOptions(uuid),
      queryFn: ({ signal }) => fetchBatch(uuid, signal, true),
      staleTime: 0,
    })
    .then(
      () => undefined,
      // The query's own state shows the failure; nothing more to do here.
      () => undefined,
    )
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
