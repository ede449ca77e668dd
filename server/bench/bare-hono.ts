import { serve } from '@hono/node-server'
import { Hono } from 'hono'

// The throughput baseline: a Hono hello-world on the same Node, served the same way as the app.
const app = new Hono().get('/hello', (c) => c.json({ hello: 'world' }))
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
process.once('SIGTERM', () => server.close(() => process.exit(0)))
