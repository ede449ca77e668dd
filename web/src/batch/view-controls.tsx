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
      <FilterSelect
        label="Status"
        value={view.status}
        options={[
          ['all', 'All'],
          ['pending', 'Pending'],
          ['processed', 'Processed'],
        ]}
        onChange={(status) => onChange({ ...view, status })}
      />
      <FilterSelect
        label="Result"
        value={view.result}
        options={[
          ['all', 'All'],
          ['converted', 'Converted'],
          ['not_converted', 'Not converted'],
        ]}
        onChange={(result) => onChange({ ...view, result })}
      />
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

function FilterSelect<T extends StatusFilter | ResultFilter>(props: {
  label: string
  value: T
  options: ReadonlyArray<readonly [T, string]>
  onChange: (value: T) => void
}) {
  const id = useId()
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-semibold text-ink-muted">
        {props.label}
      </label>
      <select
        id={id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value as T)}
        className={`${textInput} w-auto`}
      >
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  )
}
