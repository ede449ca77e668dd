import { useState } from 'react'
import { Link } from 'react-router'
import { formatAgo, useNow } from '../time'
import { secondaryButton, textInput } from '../ui-classes'
import {
  type RecentBatch,
  removeRecent,
  renameRecent,
  updateRecents,
  useRecentBatches,
} from './recent-batches-store'

export function RecentBatches() {
  const recents = useRecentBatches()
  const now = useNow(30_000)

  return (
    <section aria-labelledby="recent-heading" className="space-y-3">
      <h2 id="recent-heading" className="text-lg font-semibold">
        Recent batches
      </h2>
      {recents.length === 0 ? (
        <p className="text-sm text-ink-muted">
          Batches you open in this browser are listed here, most recent first.
        </p>
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line bg-surface">
          {recents.map((batch) => (
            <RecentItem key={batch.uuid} batch={batch} now={now} />
          ))}
        </ul>
      )}
    </section>
  )
}

function RecentItem({ batch, now }: { batch: RecentBatch; now: number }) {
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(batch.nickname)
  const name = batch.nickname || batch.uuid

  function save() {
    updateRecents((list) => renameRecent(list, batch.uuid, draft.trim()))
    setEditing(false)
  }

  return (
    <li className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0 space-y-0.5">
        {editing ? (
          <form
            onSubmit={(event) => {
              event.preventDefault()
              save()
            }}
            className="flex gap-2"
          >
            <input
              // Focus follows the user's own click on Rename.
              // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked for it
              autoFocus
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  setDraft(batch.nickname)
                  setEditing(false)
                }
              }}
              maxLength={80}
              aria-label={`Nickname for ${batch.uuid}`}
              className={`${textInput} py-1`}
            />
            <button type="submit" className={secondaryButton}>
              Save
            </button>
          </form>
        ) : (
          <Link
            to={`/batches/${batch.uuid}`}
            className="block truncate font-medium text-accent hover:underline"
          >
            {batch.nickname ? batch.nickname : <span className="font-mono">{batch.uuid}</span>}
          </Link>
        )}
        <p className="text-xs text-ink-muted">
          {batch.nickname && <span className="mr-2 font-mono break-all">{batch.uuid}</span>}
          <ProgressText batch={batch} /> · opened {formatAgo(batch.lastOpenedAt, now)}
        </p>
      </div>
      {!editing && (
        <div className="flex shrink-0 gap-2">
          <button
            type="button"
            className={secondaryButton}
            aria-label={`Rename ${name}`}
            onClick={() => {
              setDraft(batch.nickname)
              setEditing(true)
            }}
          >
            Rename
          </button>
          <button
            type="button"
            className={secondaryButton}
            aria-label={`Remove ${name}`}
            onClick={() => updateRecents((list) => removeRecent(list, batch.uuid))}
          >
            Remove
          </button>
        </div>
      )}
    </li>
  )
}

function ProgressText({ batch }: { batch: RecentBatch }) {
  const progress = batch.progress
  if (!progress) return <span>not opened yet</span>
  if (progress.complete) return <span>done · {progress.total} leads</span>
  return (
    <span>
      {progress.processed}/{progress.total} processed when last seen
    </span>
  )
}
