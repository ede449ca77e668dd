import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useEffect } from 'react'
import { BrowserRouter, Link, Route, Routes } from 'react-router'
import { BatchPage } from './batch/batch-page'
import { HomePage } from './home/home-page'
import { card, linkClass } from './ui-classes'

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  )
}

/** The routes without a router, so tests can mount them in a MemoryRouter. */
export function AppRoutes() {
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-surface focus:p-2"
      >
        Skip to content
      </a>
      <header className="border-b border-line bg-surface">
        <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
          <Link to="/" className="rounded font-bold text-ink">
            Enrichment Watch
          </Link>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6">
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/batches/:uuid" element={<BatchPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </div>
  )
}

function NotFoundPage() {
  useEffect(() => {
    document.title = 'Page not found · Enrichment Watch'
  }, [])
  return (
    <section className={`${card} space-y-2`} aria-labelledby="not-found-heading">
      <h1 id="not-found-heading" className="text-lg font-bold">
        Page not found
      </h1>
      <p className="text-sm">
        There is nothing at this address.{' '}
        <Link to="/" className={linkClass}>
          Watch a batch
        </Link>
      </p>
    </section>
  )
}
