import type { Lead } from '@enrichment-watch/server/contract'

export type StatusFilter = 'all' | 'pending' | 'processed'
export type ResultFilter = 'all' | 'converted' | 'not_converted'
export type SortKey = 'uid' | 'status' | 'result' | 'finished'

export interface ViewState {
  status: StatusFilter
  result: ResultFilter
  q: string
  sort: { key: SortKey; desc: boolean } | null
}

export const DEFAULT_VIEW: ViewState = { status: 'all', result: 'all', q: '', sort: null }

const SORT_KEYS: readonly SortKey[] = ['uid', 'status', 'result', 'finished']

/** The query string is a public contract (links are shared): unknown values fall back quietly. */
export function parseViewState(params: URLSearchParams): ViewState {
  const status = params.get('status')
  const result = params.get('result')
  const sort = params.get('sort') ?? ''
  const desc = sort.startsWith('-')
  const key = (desc ? sort.slice(1) : sort) as SortKey
  return {
    status: status === 'pending' || status === 'processed' ? status : 'all',
    result: result === 'converted' || result === 'not_converted' ? result : 'all',
    q: (params.get('q') ?? '').slice(0, 200),
    sort: SORT_KEYS.includes(key) ? { key, desc } : null,
  }
}

/** Writes the view into `params`, leaving other parameters alone and defaults out. */
export function writeViewState(params: URLSearchParams, view: ViewState): URLSearchParams {
  const next = new URLSearchParams(params)
  setOrDelete(next, 'status', view.status === 'all' ? '' : view.status)
  setOrDelete(next, 'result', view.result === 'all' ? '' : view.result)
  setOrDelete(next, 'q', view.q.trim() === '' ? '' : view.q)
  setOrDelete(next, 'sort', view.sort ? `${view.sort.desc ? '-' : ''}${view.sort.key}` : '')
  return next
}

function setOrDelete(params: URLSearchParams, name: string, value: string) {
  if (value === '') params.delete(name)
  else params.set(name, value)
}

export function isFiltered(view: ViewState): boolean {
  return view.status !== 'all' || view.result !== 'all' || view.q.trim() !== ''
}

/** Clicking a column: ascending, then descending, then back to Woodpecker's own order. */
export function nextSort(current: ViewState['sort'], key: SortKey): ViewState['sort'] {
  if (current?.key !== key) return { key, desc: false }
  if (!current.desc) return { key, desc: true }
  return null
}

export function applyView(
  leads: readonly Lead[],
  view: ViewState,
  finished: Readonly<Record<string, number | null>>,
): Lead[] {
  const q = view.q.trim().toLowerCase()
  const filtered = leads.filter((lead) => {
    if (view.status === 'pending' && lead.status !== 'PENDING') return false
    if (view.status === 'processed' && lead.status === 'PENDING') return false
    if (view.result === 'converted' && lead.processing_result !== 'CONVERTED_TO_PROSPECT')
      return false
    if (view.result === 'not_converted' && lead.processing_result !== 'NOT_CONVERTED_TO_PROSPECT')
      return false
    if (q !== '' && !String(lead.uid).toLowerCase().includes(q)) return false
    return true
  })
  const sort = view.sort
  if (!sort) return filtered
  const direction = sort.desc ? -1 : 1
  // Array.prototype.sort is stable, so ties keep Woodpecker's order.
  return filtered.sort((a, b) => direction * compareBy(sort.key, a, b, finished))
}

function compareBy(
  key: SortKey,
  a: Lead,
  b: Lead,
  finished: Readonly<Record<string, number | null>>,
): number {
  switch (key) {
    case 'uid':
      return collator.compare(String(a.uid), String(b.uid))
    case 'status':
      return collator.compare(String(a.status), String(b.status))
    case 'result':
      return collator.compare(String(a.processing_result ?? ''), String(b.processing_result ?? ''))
    case 'finished':
      return finishRank(a, finished) - finishRank(b, finished)
  }
}

/** Finished before watching began, then in the order seen finishing, then still pending. */
function finishRank(lead: Lead, finished: Readonly<Record<string, number | null>>): number {
  if (lead.status === 'PENDING') return Number.POSITIVE_INFINITY
  const at = finished[lead.uid]
  return typeof at === 'number' ? at : Number.NEGATIVE_INFINITY
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
