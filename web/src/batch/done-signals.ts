import { useEffect } from 'react'
import type { LeadCounts } from './lead-counts'

export function batchTitle(uuid: string, counts: LeadCounts | null): string {
  const short = uuid.slice(0, 8)
  if (!counts) return `Batch ${short} · Enrichment Watch`
  const progress = `(${counts.processed}/${counts.total})`
  // The ✓ leads so a done batch is spotted among many tabs.
  return counts.pending === 0
    ? `✓ ${progress} Batch ${short} · Enrichment Watch`
    : `${progress} Batch ${short} · Enrichment Watch`
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title
  }, [title])
  useEffect(
    () => () => {
      document.title = 'Enrichment Watch'
    },
    [],
  )
}

/**
 * Draws the tab icon: a ring filling with progress, a check mark when done. Without a 2D canvas
 * (old browsers, tests) the static icon stays.
 */
export function useProgressFavicon(fraction: number | null, done: boolean): void {
  useEffect(() => {
    if (fraction === null) return
    const link = document.querySelector<HTMLLinkElement>('link[rel~="icon"]')
    if (!link) return
    const original = link.href
    const canvas = document.createElement('canvas')
    canvas.width = 64
    canvas.height = 64
    const context = canvas.getContext('2d')
    if (!context) return
    const styles = getComputedStyle(document.documentElement)
    const token = (name: string, fallback: string) =>
      styles.getPropertyValue(name).trim() || fallback
    drawFavicon(context, fraction, done, {
      track: token('--color-line', 'gray'),
      progress: token('--color-accent', 'royalblue'),
      done: token('--color-success', 'green'),
      mark: token('--color-on-accent', 'white'),
    })
    link.type = 'image/png'
    link.href = canvas.toDataURL('image/png')
    return () => {
      link.type = 'image/svg+xml'
      link.href = original
    }
  }, [fraction, done])
}

function drawFavicon(
  context: CanvasRenderingContext2D,
  fraction: number,
  done: boolean,
  colors: { track: string; progress: string; done: string; mark: string },
): void {
  const center = 32
  context.clearRect(0, 0, 64, 64)
  if (done) {
    context.fillStyle = colors.done
    context.beginPath()
    context.arc(center, center, 30, 0, Math.PI * 2)
    context.fill()
    context.strokeStyle = colors.mark
    context.lineWidth = 8
    context.lineCap = 'round'
    context.lineJoin = 'round'
    context.beginPath()
    context.moveTo(18, 33)
    context.lineTo(28, 43)
    context.lineTo(46, 22)
    context.stroke()
    return
  }
  context.lineWidth = 10
  context.strokeStyle = colors.track
  context.beginPath()
  context.arc(center, center, 25, 0, Math.PI * 2)
  context.stroke()
  context.strokeStyle = colors.progress
  context.beginPath()
  context.arc(center, center, 25, -Math.PI / 2, -Math.PI / 2 + Math.PI * 2 * fraction)
  context.stroke()
}
