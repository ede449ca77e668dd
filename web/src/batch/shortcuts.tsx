import { useEffect, useRef } from 'react'
import { secondaryButton } from '../ui-classes'

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** Single-key shortcuts that stay out of the way while someone types or uses browser chords. */
export function useShortcuts(handlers: Readonly<Record<string, () => void>>): void {
  const latest = useRef(handlers)
  useEffect(() => {
    latest.current = handlers
  })
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
      if (event.isComposing || isTypingTarget(event.target)) return
      const handler = latest.current[event.key]
      if (!handler) return
      event.preventDefault()
      handler()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [])
}

export const SHORTCUTS: readonly { key: string; action: string }[] = [
  { key: 'r', action: 'Refresh now' },
  { key: 'p', action: 'Pause or resume updates' },
  { key: '/', action: 'Search lead ids' },
  { key: '?', action: 'Show this help' },
]

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (typeof dialog.showModal === 'function') dialog.showModal()
    else dialog.setAttribute('open', '')
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      aria-labelledby="shortcuts-heading"
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose()
      }}
      className="m-auto w-[min(24rem,calc(100vw-2rem))] rounded-lg border border-line bg-surface p-5 text-ink backdrop:bg-ink/40"
    >
      <h2 id="shortcuts-heading" className="mb-3 text-lg font-bold">
        Keyboard shortcuts
      </h2>
      <dl className="mb-4 space-y-2 text-sm">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.key} className="flex items-center gap-3">
            <dt>
              <kbd className="rounded border border-line bg-sunken px-2 py-0.5 font-mono">
                {shortcut.key}
              </kbd>
            </dt>
            <dd>{shortcut.action}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className={secondaryButton} onClick={onClose}>
        Close
      </button>
    </dialog>
  )
}
