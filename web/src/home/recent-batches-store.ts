import { parseBatchId } from '@enrichment-watch/server/contract'
import { useSyncExternalStore } from 'react'
import { readJson, safeStorage, writeJson } from '../browser'

export interface RecentProgress {
  processed: number
  total: number
  complete: boolean
}

export interface RecentBatch {
  uuid: string
  nickname: string
  /** Epoch ms of the last time this browser opened or added the batch. */
  lastOpenedAt: number
  progress: RecentProgress | null
}

export const RECENT_BATCHES_KEY = 'enrichment-watch.recent-batches'
export const RECENT_BATCHES_LIMIT = 30
const CHANGE_EVENT = 'enrichment-watch:recent-batches'

/** Parse what storage holds, dropping anything malformed rather than failing the page. */
export function parseRecents(value: unknown): RecentBatch[] {
  if (!Array.isArray(value)) return []
  const seen = new Set<string>()
  const out: RecentBatch[] = []
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue
    const record = item as Record<string, unknown>
    const uuid = typeof record.uuid === 'string' ? parseBatchId(record.uuid) : null
    if (uuid === null || seen.has(uuid)) continue
    seen.add(uuid)
    out.push({
      uuid,
      nickname: typeof record.nickname === 'string' ? record.nickname : '',
      lastOpenedAt: typeof record.lastOpenedAt === 'number' ? record.lastOpenedAt : 0,
      progress: parseProgress(record.progress),
    })
  }
  return out.sort((a, b) => b.lastOpenedAt - a.lastOpenedAt)
}

function parseProgress(value: unknown): RecentProgress | null {
  if (typeof value !== 'object' || value === null) return null
  const { processed, total, complete } = value as Record<string, unknown>
  if (typeof processed !== 'number' || typeof total !== 'number') return null
  return { processed, total, complete: complete === true }
}

/** Put `uuids` first (in the given order), keeping what was known about them. */
export function addRecents(list: RecentBatch[], uuids: string[], now: number): RecentBatch[] {
  const added = uuids.map((uuid, index): RecentBatch => {
    const known = list.find((item) => item.uuid === uuid)
    // Earlier ids in a pasted list stay above later ones.
    const lastOpenedAt = now - index
    return known ? { ...known, lastOpenedAt } : { uuid, nickname: '', lastOpenedAt, progress: null }
  })
  const rest = list.filter((item) => !uuids.includes(item.uuid))
  return [...added, ...rest].slice(0, RECENT_BATCHES_LIMIT)
}

export function setRecentProgress(
  list: RecentBatch[],
  uuid: string,
  progress: RecentProgress,
): RecentBatch[] {
  const known = list.find((item) => item.uuid === uuid)
  if (
    known?.progress &&
    known.progress.processed === progress.processed &&
    known.progress.total === progress.total &&
    known.progress.complete === progress.complete
  ) {
    return list
  }
  return list.map((item) => (item.uuid === uuid ? { ...item, progress } : item))
}

export function renameRecent(list: RecentBatch[], uuid: string, nickname: string): RecentBatch[] {
  return list.map((item) => (item.uuid === uuid ? { ...item, nickname } : item))
}

export function removeRecent(list: RecentBatch[], uuid: string): RecentBatch[] {
  return list.filter((item) => item.uuid !== uuid)
}

let cachedRaw: string | null | undefined
let cachedList: RecentBatch[] = []

function readRaw(): string | null {
  try {
    return safeStorage('localStorage')?.getItem(RECENT_BATCHES_KEY) ?? null
  } catch {
    return null
  }
}

export function getRecents(): RecentBatch[] {
  const raw = readRaw()
  if (raw !== cachedRaw) {
    cachedRaw = raw
    cachedList = parseRecents(readJson(safeStorage('localStorage'), RECENT_BATCHES_KEY))
  }
  return cachedList
}

export function updateRecents(change: (list: RecentBatch[]) => RecentBatch[]): void {
  const current = getRecents()
  const next = change(current)
  if (next === current) return
  writeJson(safeStorage('localStorage'), RECENT_BATCHES_KEY, next)
  window.dispatchEvent(new Event(CHANGE_EVENT))
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === RECENT_BATCHES_KEY) onChange()
  }
  window.addEventListener(CHANGE_EVENT, onChange)
  // Other tabs of the same browser keep the list in step.
  window.addEventListener('storage', onStorage)
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange)
    window.removeEventListener('storage', onStorage)
  }
}

const EMPTY: RecentBatch[] = []

export function useRecentBatches(): RecentBatch[] {
  return useSyncExternalStore(subscribe, getRecents, () => EMPTY)
}
