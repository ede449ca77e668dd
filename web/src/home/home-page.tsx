import { useEffect } from 'react'
import { card } from '../ui-classes'
import { DemoBatches } from './demo-batches'
import { PasteBox } from './paste-box'
import { RecentBatches } from './recent-batches'

export function HomePage() {
  useEffect(() => {
    document.title = 'Enrichment Watch'
  }, [])

  return (
    <div className="space-y-8">
      <section aria-labelledby="watch-heading" className={`${card} space-y-2`}>
        <h1 id="watch-heading" className="text-xl font-bold">
          Watch an enrichment batch
        </h1>
        <PasteBox />
      </section>
      <DemoBatches />
      <RecentBatches />
    </div>
  )
}
