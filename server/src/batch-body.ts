import type { EnrichmentMeta, EnrichmentResponse, LeadEnrichment } from './contract.ts'

/**
 * A poll's body is exactly `JSON.stringify(response)`, but only its two numbers change from one
 * poll of a snapshot to the next (`age_ms`, `next_poll_ms`). Everything around them, the batch
 * above all, is rendered to bytes once per snapshot and shown error; a poll copies those bytes and
 * writes its numbers between them. No 2 KB string is built, flattened and encoded per poll.
 */
interface RenderedBody {
  /** What the parts were rendered from: a poll of the same snapshot with other meta re-renders. */
  meta: EnrichmentMeta
  /** `{"lead_enrichment":…,"meta":{"fetched_at":"…","age_ms":` */
  head: Uint8Array
  /** `,"stale":…,"error":…,"complete":…,"next_poll_ms":` */
  middle: Uint8Array
  /** `,"mode":"…"}}` */
  end: Uint8Array
}

/** Keyed by the snapshot's batch: the same object until the next refresh. */
const renderedBodies = new WeakMap<LeadEnrichment, RenderedBody>()

export function renderBody(response: EnrichmentResponse): Uint8Array | string {
  const { lead_enrichment: batch, meta } = response
  if (!Number.isFinite(meta.age_ms) || !Number.isFinite(meta.next_poll_ms)) {
    return JSON.stringify(response)
  }
  let rendered = renderedBodies.get(batch)
  if (rendered === undefined || !sameParts(rendered.meta, meta)) {
    rendered = renderParts(batch, meta)
    renderedBodies.set(batch, rendered)
  }
  const { head, middle, end } = rendered
  // Finite numbers print as ASCII: one byte per character.
  const age = String(meta.age_ms)
  const next = String(meta.next_poll_ms)
  const body = takeBytes(head.length + age.length + middle.length + next.length + end.length)
  body.set(head)
  let at = writeAscii(body, head.length, age)
  body.set(middle, at)
  at = writeAscii(body, at + middle.length, next)
  body.set(end, at)
  return body
}

function writeAscii(bytes: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i)
  return at + text.length
}

/**
 * Bytes for one body, cut from a shared slab as Node's Buffer pool does; that pool's 8 KiB holds
 * only three bodies, so it was replaced every third poll. A slab is freed once the last body cut
 * from it has been written: a client that stops reading pins at most one slab until its socket
 * closes, which is why it is not larger. Bigger bodies get a buffer of their own.
 */
const SLAB_BYTES = 64 * 1024
let slab = new ArrayBuffer(0)
let slabUsed = 0

/** Buffers, not plain byte arrays: Node's socket writes take those without wrapping them. */
function takeBytes(size: number): Buffer {
  if (size > SLAB_BYTES / 8) return Buffer.allocUnsafe(size)
  if (slabUsed + size > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES)
    slabUsed = 0
  }
  const bytes = Buffer.from(slab, slabUsed, size)
  slabUsed += (size + 7) & ~7
  return bytes
}

function renderParts(batch: LeadEnrichment, meta: EnrichmentMeta): RenderedBody {
  const { fetched_at, stale, error, complete, mode } = meta
  return {
    meta,
    head: Buffer.from(
      `{"lead_enrichment":${JSON.stringify(batch)},"meta":{"fetched_at":${JSON.stringify(fetched_at)},"age_ms":`,
    ),
    middle: Buffer.from(
      `,"stale":${stale},"error":${JSON.stringify(error)},"complete":${complete},"next_poll_ms":`,
    ),
    end: Buffer.from(`,"mode":${JSON.stringify(mode)}}}`),
  }
}

function sameParts(a: EnrichmentMeta, b: EnrichmentMeta): boolean {
  return (
    a.fetched_at === b.fetched_at &&
    a.stale === b.stale &&
    a.complete === b.complete &&
    a.mode === b.mode &&
    a.error?.code === b.error?.code &&
    a.error?.details === b.error?.details
  )
}
