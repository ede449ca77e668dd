import { type Ref, useId } from 'react'
import { secondaryButton, textInput } from '../ui-classes'
import type { ResultFilter, StatusFilter, ViewState } from './view-state'

export function ViewControls(props: {
  view: ViewState
  onChange: (view: ViewState) => void
  searchRef: Ref<HTMLInputElement>
  shown: number
  total: number
}) {
  const { view, onChange, shown, total } = props
  const searchId = useId()
  const statusId = useId()
  const resultId = useId()
  const select = `${textInput} w-auto`
  const filtered = shown !== total

  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="min-w-0 grow basis-48">
        <label htmlFor={searchId} className="block text-xs font-semibold text-ink-muted">
          Search lead id
        </label>
        <input
          id={searchId}
          ref={props.searchRef}
          type="search"
          value={view.q}
          onChange={(event) => onChange({ ...view, q: event.target.value })}
          placeholder="e.g. 0001"
          spellCheck={false}
          autoComplete="off"
          className={`${textInput} font-mono`}
        />
      </div>
      <div>
        <label htmlFor={statusId} className="block text-xs font-semibold text-ink-muted">
          Status
        </label>
        <select
          id={statusId}
          value={view.status}
          onChange={(event) => onChange({ ...view, status: event.target.value as StatusFilter })}
          className={select}
        >
          <option value="all">All</option>
          <option value="pending">Pending</option>
          <option value="processed">Processed</option>
        </select>
      </div>
      <div>
        <label htmlFor={resultId} className="block text-xs font-semibold text-ink-muted">
          Result
        </label>
        <select
          id={resultId}
          value={view.result}
          onChange={(event) => onChange({ ...view, result: event.target.value as ResultFilter })}
          className={select}
        >
          <option value="all">All</option>
          <option value="converted">Converted</option>
          <option value="not_converted">Not converted</option>
        </select>
      </div>
      {filtered && (
        <div className="flex items-center gap-2 text-sm text-ink-muted">
          <span>
            {shown} of {total} shown
          </span>
          <button
            type="button"
            className={secondaryButton}
            onClick={() => onChange({ ...view, status: 'all', result: 'all', q: '' })}
          >
            Clear filters
          </button>
        </div>
      )}
    </div>
  )
}
