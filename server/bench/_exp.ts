import autocannon from 'autocannon'
import { freePort, startNode, stop } from './processes.ts'
const KEY='k-prof'
const simPort = await freePort()
const sim = await startNode('sim','src/simulator/main.ts',{SIM_PORT:String(simPort),SIM_API_KEY:KEY,SIM_LATENCY_MS:'1'},simPort,'/__sim/health')
const port = await freePort()
const server = await startNode('server','src/index.ts',{PORT:String(port),WOODPECKER_BASE_URL:`${sim.url}/rest`,WOODPECKER_API_KEY:KEY, RATE_LIMIT_PER_MIN:'0', LOG_LEVEL:'warn', UPSTREAM_MIN_GAP_MS:'0'},port,'/api/health')
const mk = async (body: object) => { const r = await fetch(`${sim.url}/__sim/batches`,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)}); return ((await r.json()) as any).uuid as string }
const uuid = await mk({leads:20,complete:true})
await fetch(`${server.url}/api/enrichments/${uuid}`)
const run = async (label: string) => { const a = await autocannon({url:`${server.url}/api/enrichments/${uuid}`,connections:50,duration:4}); console.log(label, 'rps', a.requests.average) }
await run('empty')
const N = Number(process.env.N ?? 400)
for (let i=0;i<N;i++){ const u = await mk({leads:20,durationMs:3600000}); await fetch(`${server.url}/api/enrichments/${u}`) }
await run(`after ${N} batches`)
await stop(server); await stop(sim)
