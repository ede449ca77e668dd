const badge =
  'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap'

const STATUS: Record<string, { label: string; tone: string }> = {
  PENDING: { label: 'Pending', tone: 'bg-warning-soft text-warning' },
  PROCESSED: { label: 'Processed', tone: 'bg-success-soft text-success' },
}

const RESULT: Record<string, { label: string; tone: string }> = {
  CONVERTED_TO_PROSPECT: { label: 'Converted', tone: 'bg-success-soft text-success' },
  NOT_CONVERTED_TO_PROSPECT: { label: 'Not converted', tone: 'bg-neutral-soft text-neutral' },
}

const NEUTRAL = 'bg-neutral-soft text-neutral border border-dashed border-line'

// Woodpecker's enums are open: a value this page does not know shows as itself, never crashes.
export function StatusBadge({ status }: { status: unknown }) {
  const known = typeof status === 'string' ? STATUS[status] : undefined
  if (known) return <span className={`${badge} ${known.tone}`}>{known.label}</span>
  return <span className={`${badge} ${NEUTRAL} font-mono`}>{String(status)}</span>
}

export function ResultBadge({ result }: { result: unknown }) {
  if (result === null || result === undefined) {
    return (
      <span className="text-ink-muted">
        <span aria-hidden="true">—</span>
        <span className="sr-only">no result yet</span>
      </span>
    )
  }
  const known = typeof result === 'string' ? RESULT[result] : undefined
  if (known) return <span className={`${badge} ${known.tone}`}>{known.label}</span>
  return <span className={`${badge} ${NEUTRAL} font-mono`}>{String(result)}</span>
}
