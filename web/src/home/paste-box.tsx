import { findBatchIds } from '@enrichment-watch/server/contract'
import { type FormEvent, type KeyboardEvent, useId, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { primaryButton, textInput } from '../ui-classes'
import { addRecents, updateRecents } from './recent-batches-store'

/**
 * Takes anything that contains batch ids: a bare UUID, a Woodpecker URL, a JSON snippet, a column
 * pasted from a spreadsheet. One id opens the batch; several are all added to the recent list,
 * because a person pasting a list means to watch the whole list, not only its first line.
 */
export function PasteBox() {
  const navigate = useNavigate()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string[]>([])
  const inputId = useId()
  const errorId = useId()
  const hintId = useId()

  function submit(event?: FormEvent) {
    event?.preventDefault()
    const ids = findBatchIds(text)
    setAdded([])
    if (ids.length === 0) {
      setError(
        text.trim() === ''
          ? 'Paste a batch UUID first.'
          : 'No batch id found. A batch id looks like 088e2d8a-d8ac-41fc-969f-0ba4102682ac.',
      )
      return
    }
    setError(null)
    if (ids.length === 1) {
      navigate(`/batches/${ids[0]}`)
      return
    }
    updateRecents((list) => addRecents(list, ids, Date.now()))
    setAdded(ids)
    setText('')
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter watches, like a search box; Shift+Enter still adds a line.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      submit()
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <label htmlFor={inputId} className="block text-sm font-semibold">
        Batch UUID or link
      </label>
      <p id={hintId} className="text-sm text-ink-muted">
        Paste a batch UUID, a Woodpecker link or any text that contains one. Several ids at once are
        all added to your recent batches.
      </p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <textarea
          id={inputId}
          value={text}
          onChange={(event) => {
            setText(event.target.value)
            if (error) setError(null)
          }}
          onKeyDown={onKeyDown}
          rows={2}
          spellCheck={false}
          autoComplete="off"
          placeholder="e.g. 088e2d8a-d8ac-41fc-969f-0ba4102682ac or a Woodpecker link"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          className={`${textInput} min-h-11 resize-y font-mono`}
        />
        <button type="submit" className={`${primaryButton} min-h-11 sm:w-28`}>
          Watch
        </button>
      </div>
      {error && (
        <p id={errorId} role="alert" className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
      {added.length > 0 && (
        <div role="status" className="rounded-md bg-success-soft p-3 text-sm">
          <p className="font-medium">Added {added.length} batches to your recent batches:</p>
          <ul className="mt-1 space-y-0.5">
            {added.map((id) => (
              <li key={id}>
                <Link to={`/batches/${id}`} className="font-mono text-accent hover:underline">
                  {id}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  )
}
