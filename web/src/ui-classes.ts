// Shared Tailwind class lists, so every control looks and focuses the same way.
export const primaryButton =
  'inline-flex items-center justify-center gap-2 rounded-md bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60'

export const secondaryButton =
  'inline-flex items-center justify-center gap-2 rounded-md border border-line bg-surface px-3 py-1.5 text-sm font-medium text-ink hover:bg-sunken disabled:opacity-60'

export const textInput =
  'w-full rounded-md border border-line bg-surface px-3 py-2 text-sm text-ink placeholder:text-ink-muted'

export const linkClass = 'font-medium text-accent underline-offset-2 hover:underline'

export const card = 'rounded-lg border border-line bg-surface p-4 sm:p-5'
