import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { healthQueryOptions } from '../api/health-query'

/** Only the demo server offers batches to try; a live server shows nothing here. */
export function DemoBatches() {
  const { data } = useQuery(healthQueryOptions())
  const batches = data?.mode === 'demo' ? (data.demo_batches ?? []) : []
  if (batches.length === 0) return null

  return (
    <section aria-labelledby="demo-heading" className="space-y-3">
      <h2 id="demo-heading" className="text-lg font-semibold">
        Try a demo batch
      </h2>
      <p className="text-sm text-ink-muted">
        This server runs in demo mode: these batches are simulated and progress in real time.
      </p>
      <ul className="grid gap-2 sm:grid-cols-2">
        {batches.map((batch) => (
          <li key={batch.uuid}>
            <Link
              to={`/batches/${batch.uuid}`}
              className="block h-full rounded-lg border border-line bg-surface p-3 hover:bg-sunken"
            >
              <span className="block font-medium text-accent">{batch.label}</span>
              <span className="block text-sm text-ink-muted">{batch.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  )
}
