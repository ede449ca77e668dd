import type { ReactNode } from 'react'
import { Link } from 'react-router'
import type { ApiError } from '../api/api-error'
import { formatClock } from '../time'
import { card, linkClass, secondaryButton } from '../ui-classes'
import { upstreamProblem } from './connection-state'

export function InvalidBatchId({ value }: { value: string }) {
  return (
    <section className={`${card} space-y-2`} aria-labelledby="problem-heading">
      <h1 id="problem-heading" className="text-lg font-bold">
        Invalid batch id
      </h1>
      <p className="text-sm">
        <span className="font-mono break-all">{value || '(empty)'}</span> is not a batch id. A batch
        id is a UUID such as{' '}
        <span className="font-mono break-all">088e2d8a-d8ac-41fc-969f-0ba4102682ac</span>.
      </p>
      <p className="text-sm">
        <Link to="/" className={linkClass}>
          Paste a batch id or link
        </Link>
      </p>
    </section>
  )
}

/** The batch could not be shown at all: say why, chosen by the error's code. */
export function BatchProblem(props: {
  uuid: string
  error: ApiError
  retryAt: number | null
  onRetry: () => void
  retrying: boolean
}) {
  const { uuid, error, retryAt, onRetry, retrying } = props
  if (error.code === 'invalid_uuid') return <InvalidBatchId value={uuid} />

  if (error.status === 404) {
    return (
      <Problem title="Batch not found">
        <p>
          Woodpecker does not know batch <span className="font-mono break-all">{uuid}</span> for the
          account this server uses. That usually means one of:
        </p>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            the batch belongs to a different Woodpecker account than the server's API key (for
            example another client of an agency), or
          </li>
          <li>the id is wrong: mistyped, cut short, or from another tool.</li>
        </ul>
        <p>
          <Link to="/" className={linkClass}>
            Watch another batch
          </Link>
        </p>
      </Problem>
    )
  }

  const retryLine = (
    <p className="text-ink-muted">
      {retrying
        ? 'Checking again now…'
        : retryAt !== null
          ? `Retrying at ${formatClock(retryAt)}.`
          : 'Not retrying automatically.'}
    </p>
  )
  const retryButton = (
    <button type="button" className={secondaryButton} onClick={onRetry} disabled={retrying}>
      Try again now
    </button>
  )

  switch (error.code) {
    case 'network':
      return (
        <Problem title="Server unreachable">
          <p>
            This page cannot reach the Enrichment Watch server. Check your connection, or whether
            the server is running.
          </p>
          {retryLine}
          {retryButton}
        </Problem>
      )
    case 'upstream_unauthorized':
      return (
        <Problem title="The server's Woodpecker key was rejected">
          <p>
            Woodpecker refused the API key this server is configured with. This is not something you
            did: ask whoever runs Enrichment Watch to check the key and the account's API access.
          </p>
          {retryLine}
          {retryButton}
        </Problem>
      )
    case 'upstream_throttled':
    case 'busy':
      return (
        <Problem title="Woodpecker is busy">
          <p>
            {upstreamProblem(error.code)} Woodpecker handles one request at a time per account, so
            this passes.
          </p>
          {retryLine}
        </Problem>
      )
    case 'upstream_timeout':
    case 'upstream_error':
    case 'upstream_bad_response':
      return (
        <Problem title="Woodpecker had a problem">
          <p>{upstreamProblem(error.code)}</p>
          {retryLine}
          {retryButton}
        </Problem>
      )
    default:
      return (
        <Problem title="Something went wrong">
          <p>
            The server answered {error.status > 0 ? `HTTP ${error.status}` : 'unexpectedly'}:{' '}
            {error.details}
          </p>
          {retryLine}
          {retryButton}
        </Problem>
      )
  }
}

function Problem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className={`${card} space-y-3 text-sm`} aria-labelledby="problem-heading">
      <h1 id="problem-heading" className="text-lg font-bold">
        {title}
      </h1>
      {children}
    </section>
  )
}

export function BatchSkeleton() {
  return (
    <div aria-busy="true" className="space-y-4">
      <p className="sr-only">Loading batch…</p>
      <div className="h-12 w-2/3 motion-safe:animate-shimmer rounded bg-sunken" />
      <div className="h-28 motion-safe:animate-shimmer rounded-lg bg-sunken" />
      <div className="space-y-2">
        {[0, 1, 2, 3, 4].map((row) => (
          <div key={row} className="h-8 motion-safe:animate-shimmer rounded bg-sunken" />
        ))}
      </div>
    </div>
  )
}
