import type { Lead } from '@enrichment-watch/server/contract'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { batchQueryOptions, batchRefetchInterval, refreshBatch } from '../api/batch-query'
import { downloadText, useOnline, usePageVisible } from '../browser'
import { addRecents, setRecentProgress, updateRecents } from '../home/recent-batches-store'
import { useNow } from '../time'
import { secondaryButton } from '../ui-classes'
import { awaySummary } from './away-summary'
import { BatchProblem, BatchSkeleton } from './batch-error'
import { BatchHeader } from './batch-header'
import { connectionState } from './connection-state'
import { CopyButton } from './copy-button'
import { leadsToCsv } from './csv'
import { batchTitle, useDocumentTitle, useProgressFavicon } from './done-signals'
import { estimateCompletion, isStalled } from './estimate'
import {
  type FinishLog,
  loadFinishLog,
  observedFlips,
  recordSnapshot,
  saveFinishLog,
} from './finish-log'
import { countLeads, type LeadCounts } from './lead-counts'
import { LeadTable } from './lead-table'
import { milestoneMessage, reachedMilestone } from './milestones'
import { NotifyToggle, useCompletionNotification } from './notify-toggle'
import { ProgressSummary } from './progress-summary'
import { RefreshBar } from './refresh-bar'
import { HelpDialog, useShortcuts } from './shortcuts'
import { batchSummary } from './summary'
import { ViewControls } from './view-controls'
import {
  applyView,
  isFiltered,
  nextSort,
  parseViewState,
  type ViewState,
  writeViewState,
} from './view-state'

const EMPTY_FINISHED: Readonly<Record<string, number | null>> = {}

export function BatchWatch({ uuid }: { uuid: string }) {
  const [paused, setPaused] = useState(false)
  const [notify, setNotify] = useState(false)
  const [helpOpen, setHelpOpen] = useState(false)
  const searchRef = useRef<HTMLInputElement>(null)
  const query = useQuery({
    ...batchQueryOptions(uuid),
    ...(paused ? { refetchInterval: false as const } : {}),
  })
  const { data, error, dataUpdatedAt, errorUpdatedAt, errorUpdateCount } = query
  const now = useNow(1000)
  const online = useOnline()
  const [searchParams, setSearchParams] = useSearchParams()
  const view = useMemo(() => parseViewState(searchParams), [searchParams])

  const leads = data?.lead_enrichment.leads
  const counts = useMemo(() => (leads ? countLeads(leads) : null), [leads])
  // Woodpecker's moment for this snapshot, on the browser's clock (no server clock skew).
  const snapshotAt = data ? dataUpdatedAt - Math.max(0, data.meta.age_ms) : 0
  const finishLog = useFinishLog(uuid, leads, snapshotAt)
  const finished = finishLog?.finished ?? EMPTY_FINISHED
  const flips = useMemo(() => observedFlips(finishLog), [finishLog])
  const progressInput = {
    flips,
    since: finishLog?.since ?? now,
    now,
    pending: counts?.pending ?? 0,
  }
  const estimate = estimateCompletion(progressInput)
  const stalled = isStalled(progressInput)

  const interval = paused
    ? false
    : batchRefetchInterval({
        state: { data, error, dataUpdatedAt, errorUpdatedAt, errorUpdateCount },
      })
  const nextCheckAt =
    interval === false || !online ? null : Math.max(dataUpdatedAt, errorUpdatedAt) + interval
  const connection = connectionState({ data, error, paused, online })
  const complete = data?.meta.complete

  const visible = useMemo(
    () => (leads ? applyView(leads, view, finished) : []),
    [leads, view, finished],
  )

  function setView(next: ViewState) {
    // Replace, not push: typing a search must not fill the back button's history.
    setSearchParams((params) => writeViewState(params, next), { replace: true })
  }
  const queryClient = useQueryClient()
  const refresh = () => void refreshBatch(queryClient, uuid)
  const togglePause = () => setPaused((value) => !value)

  useShortcuts({
    r: refresh,
    p: togglePause,
    '/': () => searchRef.current?.focus(),
    '?': () => setHelpOpen(true),
  })

  useDocumentTitle(batchTitle(uuid, counts))
  useProgressFavicon(
    counts ? (counts.total === 0 ? 1 : counts.processed / counts.total) : null,
    !!complete,
  )
  useCompletionNotification({
    enabled: notify,
    complete,
    title: `✓ Batch ${uuid.slice(0, 8)} is done`,
    body: counts
      ? `${counts.total} leads processed: ${counts.converted} converted, ${counts.notConverted} not converted.`
      : '',
    tag: uuid,
  })
  const announcement = useMilestoneAnnouncement(counts)
  const away = useAwaySummary(counts)
  useRecentProgress(uuid, counts)

  let body: ReactNode
  if (!data || !counts) {
    body = error ? (
      <BatchProblem
        uuid={uuid}
        error={error}
        retryAt={nextCheckAt}
        retrying={query.isFetching}
        onRetry={refresh}
      />
    ) : (
      <BatchSkeleton />
    )
  } else {
    body = (
      <div className="space-y-4">
        <BatchHeader
          uuid={uuid}
          created={data.lead_enrichment.created}
          now={now}
          mode={data.meta.mode}
          actions={
            <>
              <CopyButton
                label="Copy link"
                doneLabel="Link copied"
                text={() => window.location.href}
              />
              <CopyButton
                label="Copy summary"
                doneLabel="Summary copied"
                text={() => batchSummary({ uuid, counts, estimate, link: window.location.href })}
              />
              {!complete && <NotifyToggle enabled={notify} onChange={setNotify} />}
            </>
          }
        />
        <RefreshBar
          connection={connection}
          snapshotAt={snapshotAt}
          now={now}
          nextCheckAt={nextCheckAt}
          fetching={query.isFetching}
          paused={paused}
          onTogglePause={togglePause}
          onRefresh={refresh}
        />
        {away.message && (
          <section
            aria-label="While you were away"
            className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-line bg-sunken px-3 py-2 text-sm"
          >
            <p>{away.message}</p>
            <button type="button" className={secondaryButton} onClick={away.dismiss}>
              Dismiss
            </button>
          </section>
        )}
        <ProgressSummary counts={counts} estimate={estimate} stalled={stalled} />
        <ViewControls
          view={view}
          onChange={setView}
          searchRef={searchRef}
          shown={visible.length}
          total={counts.total}
        />
        <LeadTable
          allLeads={data.lead_enrichment.leads}
          leads={visible}
          finished={finished}
          now={now}
          sort={view.sort}
          onSort={(key) => setView({ ...view, sort: nextSort(view.sort, key) })}
          filtered={isFiltered(view)}
        />
        <div className="flex flex-wrap gap-2">
          <CopyButton
            label="Copy UIDs"
            doneLabel="UIDs copied"
            text={() => visible.map((lead) => lead.uid).join('\n')}
          />
          <button
            type="button"
            className={secondaryButton}
            onClick={() =>
              downloadText(
                `enrichment-${uuid}.csv`,
                leadsToCsv(visible, finished),
                'text/csv;charset=utf-8',
              )
            }
          >
            Download CSV
          </button>
          <button type="button" className={secondaryButton} onClick={() => setHelpOpen(true)}>
            Keyboard shortcuts
          </button>
        </div>
      </div>
    )
  }

  return (
    <>
      {body}
      {/* The page's only live region: milestones, not every poll. */}
      <div role="status" aria-live="polite" className="sr-only">
        {announcement}
      </div>
      {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
    </>
  )
}

/** Folds each new snapshot into this tab's finish log (sessionStorage-backed). */
function useFinishLog(
  uuid: string,
  leads: readonly Lead[] | undefined,
  observedAt: number,
): FinishLog | null {
  const [state, setState] = useState<{ leads: readonly Lead[] | undefined; log: FinishLog | null }>(
    () => ({ leads: undefined, log: loadFinishLog(uuid) }),
  )
  if (leads && leads !== state.leads) {
    setState({ leads, log: recordSnapshot(state.log, leads, observedAt) })
  }
  useEffect(() => {
    if (state.log) saveFinishLog(uuid, state.log)
  }, [uuid, state.log])
  return state.log
}

/**
 * When the person comes back to the tab after a while, what finished meanwhile. Polling goes on
 * in the background, so the counts are current on return; the counts on leaving are kept here.
 */
function useAwaySummary(counts: LeadCounts | null): {
  message: string | null
  dismiss: () => void
} {
  const visible = usePageVisible()
  const [message, setMessage] = useState<string | null>(null)
  const countsRef = useRef(counts)
  countsRef.current = counts
  const leftRef = useRef<{ counts: LeadCounts; at: number } | null>(null)
  useEffect(() => {
    const current = countsRef.current
    if (!visible) {
      leftRef.current = current ? { counts: current, at: Date.now() } : null
      return
    }
    const left = leftRef.current
    leftRef.current = null
    if (left && current) setMessage(awaySummary(left.counts, current, Date.now() - left.at))
  }, [visible])
  return { message, dismiss: () => setMessage(null) }
}

/** Announces 25/50/75/100 % once each, counting from where the batch was when the page opened. */
function useMilestoneAnnouncement(counts: ReturnType<typeof countLeads> | null): string {
  const [state, setState] = useState<{ reached: number | null; message: string }>({
    reached: null,
    message: '',
  })
  if (counts) {
    const reached = reachedMilestone(counts.percent)
    if (state.reached === null) setState({ reached, message: '' })
    else if (reached > state.reached) {
      setState({ reached, message: milestoneMessage(reached, counts) })
    }
  }
  return state.message
}

function useRecentProgress(uuid: string, counts: ReturnType<typeof countLeads> | null): void {
  const loaded = counts !== null
  useEffect(() => {
    if (loaded) updateRecents((list) => addRecents(list, [uuid], Date.now()))
  }, [uuid, loaded])
  const processed = counts?.processed
  const total = counts?.total
  const pending = counts?.pending
  useEffect(() => {
    if (processed === undefined || total === undefined) return
    updateRecents((list) =>
      setRecentProgress(list, uuid, { processed, total, complete: pending === 0 }),
    )
  }, [uuid, processed, total, pending])
}
