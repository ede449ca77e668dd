import { useEffect, useRef, useState } from 'react'
import { secondaryButton } from '../ui-classes'

function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window
}

/**
 * Opt-in only: permission is requested when the person clicks, never on page load, and the
 * notification fires once, on a batch this page saw running.
 */
export function NotifyToggle(props: { enabled: boolean; onChange: (enabled: boolean) => void }) {
  const [blocked, setBlocked] = useState(
    () => notificationsSupported() && Notification.permission === 'denied',
  )
  if (!notificationsSupported()) return null
  if (blocked) {
    return <p className="self-center text-xs text-ink-muted">Notifications are blocked</p>
  }

  async function toggle() {
    if (props.enabled) {
      props.onChange(false)
      return
    }
    const permission =
      Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission()
    if (permission === 'granted') props.onChange(true)
    else if (permission === 'denied') setBlocked(true)
  }

  return (
    <button type="button" className={secondaryButton} aria-pressed={props.enabled} onClick={toggle}>
      Notify me when done
    </button>
  )
}

export function useCompletionNotification(input: {
  enabled: boolean
  complete: boolean | undefined
  title: string
  body: string
  tag: string
}): void {
  const sawRunning = useRef(false)
  const notified = useRef(false)
  const { enabled, complete, title, body, tag } = input

  useEffect(() => {
    if (complete === false) sawRunning.current = true
    if (!complete || !enabled || !sawRunning.current || notified.current) return
    if (!notificationsSupported() || Notification.permission !== 'granted') return
    notified.current = true
    try {
      new Notification(title, { body, tag })
    } catch {
      // Some mobile browsers only notify through a service worker; the title still says ✓.
    }
  }, [complete, enabled, title, body, tag])
}
