import type { Lead } from '@enrichment-watch/server/contract'
import { readJson, safeStorage, writeJson } from '../browser'

/**
 * What this browser tab saw of a batch: when watching began, which leads were still pending at
 * the last look, and when each lead was first seen finished (`null`: already finished when this
 * tab first looked, so the moment is unknown).
 */
export interface FinishLog {
  since: number
  pending: string[]
  finished: Record<string, number | null>
}

/** Fold one snapshot into the log. Returns the same object when nothing changed. */
export function recordSnapshot(
  log: FinishLog | null,
  leads: readonly Lead[],
  observedAt: number,
): FinishLog {
  const base: FinishLog = log ?? { since: observedAt, pending: [], finished: {} }
  const wasPending = new Set(base.pending)
  const pending: string[] = []
  let finished = base.finished
  for (const lead of leads) {
    if (lead.status === 'PENDING') {
      pending.push(lead.uid)
      continue
    }
    if (lead.uid in finished) continue
    if (finished === base.finished) finished = { ...base.finished }
    finished[lead.uid] = log !== null && wasPending.has(lead.uid) ? observedAt : null
  }
  if (log !== null && finished === base.finished && samePending(base.pending, pending)) return log
  return { since: base.since, pending, finished }
}

function samePending(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((uid, index) => uid === b[index])
}

/** The moments this tab saw leads finish, oldest first. */
export function observedFlips(log: FinishLog | null): number[] {
  if (!log) return []
  return Object.values(log.finished)
    .filter((at): at is number => typeof at === 'number')
    .sort((a, b) => a - b)
}

const keyFor = (uuid: string) => `enrichment-watch.finish-log.${uuid}`

export function parseFinishLog(value: unknown): FinishLog | null {
  if (typeof value !== 'object' || value === null) return null
  const { since, pending, finished } = value as Record<string, unknown>
  if (typeof since !== 'number' || !Array.isArray(pending)) return null
  if (typeof finished !== 'object' || finished === null) return null
  const cleanFinished: Record<string, number | null> = {}
  for (const [uid, at] of Object.entries(finished)) {
    if (typeof at === 'number' || at === null) cleanFinished[uid] = at
  }
  return {
    since,
    pending: pending.filter((uid): uid is string => typeof uid === 'string'),
    finished: cleanFinished,
  }
}

// sessionStorage: the log belongs to this tab and survives its reloads, like the tab itself.
export function loadFinishLog(uuid: string): FinishLog | null {
  return parseFinishLog(readJson(safeStorage('sessionStorage'), keyFor(uuid)))
}

export function saveFinishLog(uuid: string, log: FinishLog): void {
  writeJson(safeStorage('sessionStorage'), keyFor(uuid), log)
}
