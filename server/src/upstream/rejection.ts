// For tests: what a call rejected with, when it must reject with one kind of error.

/** Awaits `work` (a promise or a plain answer) and returns its rejection, which must be a `kind`. */
export async function rejectionOf<E extends Error>(
  work: unknown,
  kind: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await work
  } catch (error) {
    if (error instanceof kind) return error
    throw error
  }
  throw new Error(`expected a ${kind.name}, but the call succeeded`)
}
