import type { HealthResponse } from '@enrichment-watch/server/contract'
import { queryOptions } from '@tanstack/react-query'
import type { ApiError } from './api-error'
import { fetchJson } from './fetch-json'

export const healthKeys = {
  all: ['health'] as const,
}

export function healthQueryOptions() {
  return queryOptions<HealthResponse, ApiError>({
    queryKey: healthKeys.all,
    queryFn: ({ signal }) => fetchJson<HealthResponse>('/api/health', { signal }),
    // The mode and the demo batches do not change while the server runs.
    staleTime: 5 * 60_000,
    retry: false,
  })
}
