import type { EnrichmentResponse, SnapshotError } from '@enrichment-watch/server/contract'
import type { ApiError } from '../api/api-error'

export type Connection =
  | { kind: 'done' }
  | { kind: 'not_found' }
  | { kind: 'paused' }
  | { kind: 'offline' }
  | { kind: 'unreachable' }
  | { kind: 'throttled' }
  | { kind: 'unauthorized' }
  | { kind: 'failing'; code: string; details: string }
  | { kind: 'stale'; error: SnapshotError | null }
  | { kind: 'live' }

/** One plainly worded state for the refresh bar, most decisive fact first. */
export function connectionState(input: {
  data: EnrichmentResponse | undefined
  error: ApiError | null
  paused: boolean
  online: boolean
}): Connection {
  const { data, error, paused, online } = input
  if (data?.meta.complete) return { kind: 'done' }
  if (error?.status === 404) return { kind: 'not_found' }
  if (paused) return { kind: 'paused' }
  if (!online) return { kind: 'offline' }
  if (error) {
    if (error.code === 'network') return { kind: 'unreachable' }
    return (
      byUpstreamCode(error.code) ?? { kind: 'failing', code: error.code, details: error.details }
    )
  }
  // With data on screen the server answers 200 with its last good snapshot and says why it is
  // stale: name the same states as when there is no snapshot to show.
  if (data?.meta.stale) {
    const code = data.meta.error?.code
    return (code && byUpstreamCode(code)) ?? { kind: 'stale', error: data.meta.error }
  }
  return { kind: 'live' }
}

function byUpstreamCode(code: string): Connection | null {
  if (code === 'upstream_throttled' || code === 'busy') return { kind: 'throttled' }
  if (code === 'upstream_unauthorized') return { kind: 'unauthorized' }
  return null
}

export const CONNECTION_LABEL: Record<Connection['kind'], string> = {
  done: 'Done',
  not_found: 'Not found',
  paused: 'Paused',
  offline: 'Browser offline',
  unreachable: 'Server unreachable',
  throttled: 'Throttled',
  unauthorized: 'Server key rejected',
  failing: 'Woodpecker problem',
  stale: 'Stale',
  live: 'Live',
}

/** What a Woodpecker-side failure means, for people who never saw Woodpecker's API. */
export function upstreamProblem(code: string): string {
  switch (code) {
    case 'upstream_timeout':
      return 'Woodpecker did not answer in time.'
    case 'upstream_error':
      return 'Woodpecker had an error answering.'
    case 'upstream_bad_response':
      return 'Woodpecker answered with something unexpected.'
    case 'upstream_throttled':
      return 'Woodpecker is busy and asked us to slow down.'
    case 'busy':
      return 'The server has too many requests waiting for Woodpecker.'
    case 'upstream_unauthorized':
      return "Woodpecker rejected the server's API key."
    default:
      return 'Something went wrong between the server and Woodpecker.'
  }
}
