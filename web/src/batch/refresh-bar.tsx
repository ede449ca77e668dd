import { formatAgo, formatClock, formatDuration } from '../time'
import { secondaryButton } from '../ui-classes'
import { CONNECTION_LABEL, type Connection, upstreamProblem } from './connection-state'

const DOT: Record<Connection['kind'], string> = {
  done: 'bg-success',
  live: 'bg-success',
  paused: 'bg-neutral',
  stale: 'bg-warning',
  throttled: 'bg-warning',
  offline: 'bg-danger',
  unreachable: 'bg-danger',
  unauthorized: 'bg-danger',
  failing: 'bg-danger',
  not_found: 'bg-danger',
}

export function RefreshBar(props: {
  connection: Connection
  /** When Woodpecker produced the snapshot on screen (browser clock). */
  snapshotAt: number
  now: number
  nextCheckAt: number | null
  fetching: boolean
  paused: boolean
  onTogglePause: () => void
  onRefresh: () => void
}) {
  const { connection, snapshotAt, now, nextCheckAt, fetching, paused } = props
  const done = connection.kind === 'done'
  const explanation = explain(connection, snapshotAt, now, nextCheckAt)

  return (
    <section
      aria-label="Updates"
      className="space-y-2 rounded-lg border border-line bg-surface p-3"
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <p className="flex items-center gap-2 font-semibold">
          <span aria-hidden="true" className={`size-2.5 rounded-full ${DOT[connection.kind]}`} />
          {CONNECTION_LABEL[connection.kind]}
        </p>
        <p className="text-ink-muted">Updated {formatAgo(snapshotAt, now)}</p>
        {!done && (
          <p className="text-ink-muted">
            {fetching
              ? 'Checking…'
              : nextCheckAt !== null
                ? `Next check in ${formatDuration(nextCheckAt - now)}`
                : paused
                  ? 'Updates paused'
                  : 'No automatic checks'}
          </p>
        )}
        {!done && (
          <div className="flex gap-2 sm:ml-auto">
            <button type="button" className={secondaryButton} onClick={props.onTogglePause}>
              {paused ? 'Resume updates' : 'Pause updates'}
            </button>
            <button
              type="button"
              className={secondaryButton}
              onClick={props.onRefresh}
              disabled={fetching}
            >
              Refresh now
            </button>
          </div>
        )}
      </div>
      {explanation && <p className="text-sm">{explanation}</p>}
    </section>
  )
}

function explain(
  connection: Connection,
  snapshotAt: number,
  now: number,
  nextCheckAt: number | null,
): string | null {
  const shown = `Showing the last good results, from ${formatAgo(snapshotAt, now)}.`
  const retry = nextCheckAt !== null ? ` Retrying at ${formatClock(nextCheckAt)}.` : ''
  switch (connection.kind) {
    case 'stale':
      return `The server could not get fresh results from Woodpecker${
        connection.error ? `: ${upstreamProblem(connection.error.code)}` : '.'
      } ${shown}`
    case 'throttled':
      return `Woodpecker is busy; the server asked to wait.${retry} ${shown}`
    case 'unreachable':
      return `This page cannot reach the Enrichment Watch server.${retry} ${shown}`
    case 'offline':
      return `Your browser is offline. Checks resume when it reconnects. ${shown}`
    case 'unauthorized':
      return `Woodpecker rejected the server's API key — not something you did; tell whoever runs Enrichment Watch.${retry} ${shown}`
    case 'failing':
      return `${upstreamProblem(connection.code)}${retry} ${shown}`
    case 'not_found':
      return 'Woodpecker no longer finds this batch for the server’s account. Showing the last results seen.'
    case 'paused':
      return 'Automatic checks are paused. Results may be out of date.'
    default:
      return null
  }
}
