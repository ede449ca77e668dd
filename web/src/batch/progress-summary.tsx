import { type Estimate, formatEstimate } from './estimate'
import type { LeadCounts } from './lead-counts'

export function ProgressSummary(props: {
  counts: LeadCounts
  estimate: Estimate
  stalled: boolean
}) {
  const { counts, estimate, stalled } = props
  const done = counts.pending === 0
  return (
    <section
      aria-label="Progress"
      className="space-y-3 rounded-lg border border-line bg-surface p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-2xl font-bold tabular-nums">
          {counts.processed}/{counts.total}
          <span className="ml-2 text-sm font-medium text-ink-muted">
            processed · {counts.percent}%
          </span>
        </p>
        <p className="text-sm text-ink-muted">
          {done ? 'All leads processed' : formatEstimate(estimate)}
        </p>
      </div>
      <div
        role="progressbar"
        aria-label="Leads processed"
        aria-valuemin={0}
        aria-valuemax={counts.total}
        aria-valuenow={counts.processed}
        aria-valuetext={`${counts.processed} of ${counts.total} leads processed (${counts.percent}%)`}
        className="h-3 overflow-hidden rounded-full bg-sunken"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 motion-reduce:transition-none ${done ? 'bg-success' : 'bg-accent'}`}
          style={{
            width: `${counts.total === 0 ? 100 : (counts.processed / counts.total) * 100}%`,
          }}
        />
      </div>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <Stat label="Converted" value={counts.converted} />
        <Stat label="Not converted" value={counts.notConverted} />
        <Stat label="Pending" value={counts.pending} />
        {counts.otherResult > 0 && <Stat label="Other result" value={counts.otherResult} />}
      </dl>
      {stalled && (
        <p className="rounded-md bg-warning-soft p-3 text-sm text-ink">
          No lead has finished for a few minutes. Woodpecker usually takes 1–4 minutes per batch and
          sometimes pauses between leads, so this is often normal; this page keeps checking.
        </p>
      )}
    </section>
  )
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-md bg-sunken px-3 py-2">
      <dt className="text-xs text-ink-muted">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  )
}
