import { useEffect, useState } from 'react'
import { copyText } from '../browser'
import { secondaryButton } from '../ui-classes'

/** A button that copies text and says so on itself for a moment. */
export function CopyButton(props: { label: string; doneLabel: string; text: () => string }) {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle')

  useEffect(() => {
    if (outcome === 'idle') return
    const id = setTimeout(() => setOutcome('idle'), 2500)
    return () => clearTimeout(id)
  }, [outcome])

  return (
    <button
      type="button"
      className={secondaryButton}
      onClick={async () => setOutcome((await copyText(props.text())) ? 'copied' : 'failed')}
    >
      {outcome === 'copied'
        ? props.doneLabel
        : outcome === 'failed'
          ? `${props.label} failed`
          : props.label}
    </button>
  )
}
