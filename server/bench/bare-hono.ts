import { serve } from '@hono/node-server'
import { Hono } from 'hono'

// The throughput baselines, served the same way as the app on the same Node:
//   /hello  a Hono hello-world;
//   /same   Hono answering the exact bytes and headers of a cache-hit poll (BENCH_BODY,
//           BENCH_HEADERS), which separates the cost of the payload from the cost of the app.
const body = process.env.BENCH_BODY ?? '{}'
const headers = JSON.parse(process.env.BENCH_HEADERS ?? '{}') as Record<string, string>
const app = new Hono()
  .get('/hello', (c) => c.json({ hello: 'world' }))
  .get('/same', () => new Response(body, { status: 200, headers }))
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
process.once('SIGTERM', () => server.close(() => process.exit(0)))
