import type { EnrichmentMeta, EnrichmentResponse, LeadEnrichment } from './contract.ts'

/**
 * A poll's body is exactly `JSON.stringify(response)`, but between two polls of one snapshot only
 * its two numbers change (`age_ms`, `next_poll_ms`). What surrounds them is rendered to bytes once:
 * the batch with `fetched_at` once per snapshot, the short rest again only when the snapshot's
 * state changes (stale, error, complete, mode). A poll copies those bytes and writes its two
 * numbers between them: no 2 KB string is built, flattened and encoded again for every poll.
 */
interface RenderedBody {
  /** What the parts were rendered from. */
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

/** Exact-size arrays of their own, where `Buffer.from` would keep a shared 8 KiB pool alive. */
const encoder = new TextEncoder()

export function renderBody(response: EnrichmentResponse): Uint8Array | string {
  const { lead_enrichment: batch, meta } = response
  if (!Number.isFinite(meta.age_ms) || !Number.isFinite(meta.next_poll_ms)) {
    return JSON.stringify(response)
  }
  let rendered = renderedBodies.get(batch)
  if (rendered === undefined || rendered.meta.fetched_at !== meta.fetched_at) {
    rendered = render(meta, renderHead(batch, meta))
    renderedBodies.set(batch, rendered)
  } else if (!sameState(rendered.meta, meta)) {
    rendered = render(meta, rendered.head)
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

function renderHead(batch: LeadEnrichment, meta: EnrichmentMeta): Uint8Array {
  return encoder.encode(
    `{"lead_enrichment":${JSON.stringify(batch)},"meta":{"fetched_at":${JSON.stringify(meta.fetched_at)},"age_ms":`,
  )
}

function render(meta: EnrichmentMeta, head: Uint8Array): RenderedBody {
  const { stale, error, complete, mode } = meta
  return {
    meta,
    head,
    middle: encoder.encode(
      `,"stale":${stale},"error":${JSON.stringify(error)},"complete":${complete},"next_poll_ms":`,
    ),
    end: encoder.encode(`,"mode":${JSON.stringify(mode)}}}`),
  }
}

function sameState(a: EnrichmentMeta, b: EnrichmentMeta): boolean {
  return (
    a.stale === b.stale &&
    a.complete === b.complete &&
    a.mode === b.mode &&
    a.error?.code === b.error?.code &&
    a.error?.details === b.error?.details
  )
}

function writeAscii(bytes: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i)
  return at + text.length
}

/**
 * Bytes for one body, cut from a shared slab, as Node's Buffer pool does for small buffers; a
 * slab serves about 28 bodies of a 20-lead batch before the next is allocated. A slab can be
 * collected once it is no longer the current one and no body cut from it is referenced any more,
 * which is once Node has written them to the socket; a client that stops reading keeps its
 * slab until its connection closes, which is why slabs are not larger. Bigger bodies get a buffer
 * of their own.
 */
const SLAB_BYTES = 64 * 1024
let slab = new ArrayBuffer(0)
let slabUsed = 0

/** Buffers, not plain byte arrays: Node's socket writes take those without wrapping them. */
function takeBytes(size: number): Buffer {
  if (size > SLAB_BYTES / 8) return Buffer.allocUnsafe(size)
  if (slabUsed + size > slab.byteLength) {
    // Not zero-filled: every byte of a body is written before it is sent.
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES).buffer
    slabUsed = 0
  }
  const bytes = Buffer.from(slab, slabUsed, size)
  // Aligned like Node's own pool.
  slabUsed += (size + 7) & ~7
  return bytes
}
