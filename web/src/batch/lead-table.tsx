import type { Lead } from '@enrichment-watch/server/contract'
import { useState } from 'react'
import { formatAgo, formatDateTime } from '../time'
import { ResultBadge, StatusBadge } from './lead-badges'
import type { SortKey, ViewState } from './view-state'

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'uid', label: 'Lead' },
  { key: 'status', label: 'Status' },
  { key: 'result', label: 'Result' },
  { key: 'finished', label: 'Finished' },
]

/**
 * Rows whose lead object changed identity since the previous render flash once. TanStack Query's
 * structural sharing keeps unchanged leads identical between polls, so identity is the diff.
 */
function useChangedLeads(leads: readonly Lead[]): { changed: ReadonlySet<string>; round: number } {
  const [previous, setPrevious] = useState(leads)
  const [state, setState] = useState<{ changed: ReadonlySet<string>; round: number }>({
    changed: new Set(),
    round: 0,
  })
  if (previous !== leads) {
    const before = new Map(previous.map((lead) => [lead.uid, lead]))
    const changed = new Set<string>()
    for (const lead of leads) {
      const old = before.get(lead.uid)
      if (old !== undefined && old !== lead) changed.add(lead.uid)
    }
    setPrevious(leads)
    if (changed.size > 0) setState({ changed, round: state.round + 1 })
  }
  return state
}

export function LeadTable(props: {
  /** Every lead of the batch, as the server sent them: the identity diff needs the full list. */
  allLeads: readonly Lead[]
  /** The leads in the current view (filtered, sorted). */
  leads: readonly Lead[]
  finished: Readonly<Record<string, number | null>>
  now: number
  sort: ViewState['sort']
  onSort: (key: SortKey) => void
  filtered: boolean
}) {
  const { allLeads, leads, finished, now, sort, onSort, filtered } = props
  const { changed, round } = useChangedLeads(allLeads)
  const flash = round % 2 === 0 ? 'motion-safe:animate-flash-a' : 'motion-safe:animate-flash-b'

  return (
    <section
      aria-label="Leads"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-line bg-surface"
    >
      <table className="w-full min-w-[22rem] border-collapse text-sm">
        <caption className="sr-only">
          Leads in this batch{filtered ? `, ${leads.length} of ${allLeads.length} shown` : ''}
        </caption>
        <thead className="bg-sunken text-left text-xs font-semibold tracking-wide text-ink-muted uppercase">
          <tr>
            {COLUMNS.map((column) => {
              const active = sort?.key === column.key
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined}
                  className="px-3 py-2"
                >
                  <button
                    type="button"
                    onClick={() => onSort(column.key)}
                    className="inline-flex items-center gap-1 rounded uppercase hover:text-ink"
                  >
                    {column.label}
                    <span aria-hidden="true">{active ? (sort.desc ? '▼' : '▲') : '↕'}</span>
                  </button>
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {leads.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length} className="px-3 py-6 text-center text-ink-muted">
                {allLeads.length === 0 ? 'This batch has no leads.' : 'No lead matches this view.'}
              </td>
            </tr>
          ) : (
            leads.map((lead) => (
              <tr
                key={lead.uid}
                data-changed={changed.has(lead.uid) ? 'true' : undefined}
                className={changed.has(lead.uid) ? flash : undefined}
              >
                <td className="px-3 py-2 font-mono text-xs break-all">{String(lead.uid)}</td>
                <td className="px-3 py-2">
                  <StatusBadge status={lead.status} />
                </td>
                <td className="px-3 py-2">
                  <ResultBadge result={lead.processing_result} />
                </td>
                <td className="px-3 py-2 text-ink-muted whitespace-nowrap">
                  <FinishedCell lead={lead} at={finished[lead.uid]} now={now} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  )
}

function FinishedCell({
  lead,
  at,
  now,
}: {
  lead: Lead
  at: number | null | undefined
  now: number
}) {
  if (lead.status === 'PENDING') {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="sr-only">not yet</span>
      </>
    )
  }
  if (typeof at !== 'number') return <span>before you opened</span>
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      finished {formatAgo(at, now)}
    </time>
  )
}
