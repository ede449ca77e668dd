import type { ReactNode } from 'react'
import { formatAgo, formatDateTime } from '../time'

export function BatchHeader(props: {
  uuid: string
  created: string
  now: number
  mode: 'live' | 'demo' | (string & {})
  actions: ReactNode
}) {
  const createdMs = Date.parse(props.created)
  return (
    <header className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0 space-y-1">
        <h1 className="text-lg font-bold">
          <span className="block text-xs font-semibold tracking-wide text-ink-muted uppercase">
            Enrichment batch{props.mode === 'demo' ? ' · demo' : ''}
          </span>
          <span className="font-mono break-all">{props.uuid}</span>
        </h1>
        <p className="text-sm text-ink-muted">
          Created{' '}
          {Number.isNaN(createdMs) ? (
            <span>{props.created}</span>
          ) : (
            <ExactTime iso={props.created}>
              {formatDateTime(createdMs)} ({formatAgo(createdMs, props.now)})
            </ExactTime>
          )}
        </p>
      </div>
      <div className="flex flex-wrap gap-2">{props.actions}</div>
    </header>
  )
}

/** A local time that reveals the exact ISO value on hover and on keyboard focus. */
function ExactTime({ iso, children }: { iso: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focus reveals the exact time for keyboard users
    <time dateTime={iso} title={iso} tabIndex={0} className="group relative rounded">
      {children}
      <span
        role="tooltip"
        className="pointer-events-none absolute top-full left-0 z-10 mt-1 hidden rounded bg-ink px-2 py-1 font-mono text-xs whitespace-nowrap text-canvas group-hover:block group-focus:block"
      >
        {iso}
      </span>
    </time>
  )
}
