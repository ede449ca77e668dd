import { parseBatchId } from '@enrichment-watch/server/contract'
import { useEffect } from 'react'
import { Navigate, useLocation, useParams } from 'react-router'
import { InvalidBatchId } from './batch-error'
import { BatchWatch } from './batch-watch'

export function BatchPage() {
  const { uuid: raw = '' } = useParams()
  const location = useLocation()
  const uuid = parseBatchId(raw)
  if (uuid === null) return <InvalidBatchPage value={raw} />
  // One canonical address per batch, so links and recent batches agree.
  if (uuid !== raw) {
    return <Navigate replace to={{ pathname: `/batches/${uuid}`, search: location.search }} />
  }
  return <BatchWatch key={uuid} uuid={uuid} />
}

function InvalidBatchPage({ value }: { value: string }) {
  useEffect(() => {
    document.title = 'Invalid batch id · Enrichment Watch'
  }, [])
  return <InvalidBatchId value={value} />
}
