/**
 * API benchmark (not a test): `npx tsx bench/api.ts` from the repository root.
 * Runs the API in-process against the real Temporal dev server and FerretDB, with 1,000 jobs and
 * one live run (served by the real worker, spawned as a child process), and drives it with
 * autocannon at 200 concurrent connections:
 *   GET /api/jobs       goal p99 < 25 ms
 *   GET /api/runs/:id   goal p99 < 50 ms (a live run: Temporal describe + runState query)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { loadConfig } from '@batchgraph/engine';
import { pino } from 'pino';
import { createApp } from '../api/src/app';
import { seedAdminKey } from '../api/src/auth';
import { ensureIndexes, openDatabase } from '../api/src/db';
import { openTemporal } from '../api/src/temporal';

const CONNECTIONS = 200;
const DURATION_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const JOBS = 1000;

const suffix = randomBytes(3).toString('hex');
const adminKey = `bg_${randomBytes(32).toString('hex')}`;
const config = loadConfig({
  ...process.env,
  MONGODB_DB: `bg_bench_${suffix}`,
  BATCHGRAPH_TASK_QUEUE: `bench-${suffix}`,
  BATCHGRAPH_ADMIN_KEY: adminKey,
  BATCHGRAPH_RATE_LIMIT_PER_MINUTE: '100000000',
});
const database = openDatabase(config.MONGODB_URI, config.MONGODB_DB);
const temporal = openTemporal(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
await ensureIndexes(database);
await seedAdminKey(database, adminKey);
const { app } = createApp({ config, database, temporal, logger: pino({ level: 'warn' }) });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

console.log(`seeding ${JOBS} jobs…`);
for (let batch = 0; batch < JOBS; batch += 25) {
  await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      post('/api/jobs', {
        formatVersion: 1,
        name: `bench job ${String(batch + i).padStart(4, '0')}`,
        description: 'A job for the benchmark',
        tasks: [
          { id: 'fetch', type: 'http', params: { url: 'http://127.0.0.1:9/data' } },
          { id: 'wait', type: 'delay', params: { seconds: 60 } },
        ],
        edges: [{ from: 'fetch', to: 'wait', on: 'success' }],
      }),
    ),
  );
}

console.log('starting the worker and a live run…');
const worker = spawn('npx', ['tsx', 'workflows/src/worker.ts'], {
  env: {
    ...process.env,
    BATCHGRAPH_WORKER_QUEUES: config.BATCHGRAPH_TASK_QUEUE,
    BATCHGRAPH_TASK_QUEUE: config.BATCHGRAPH_TASK_QUEUE,
    MONGODB_DB: config.MONGODB_DB,
    BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS: '1',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
await new Promise<void>((resolve, reject) => {
  worker.stdout.on(
    'data',
    (chunk: Buffer) => chunk.toString().includes('worker started') && resolve(),
  );
  worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
});
const live = await post('/api/jobs', {
  formatVersion: 1,
  name: 'bench live run',
  tasks: [{ id: 'wait', type: 'delay', params: { seconds: 600 } }],
});
const runId = (await post(`/api/jobs/${String(live['id'])}/runs`, {}))['runId'] as string;
for (;;) {
  const view = (await (await fetch(`${url}/api/runs/${runId}`, { headers })).json()) as {
    tasks?: { wait?: { state: string } };
  };
  if (view.tasks?.wait?.state === 'running') break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

interface Figures {
  name: string;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  non2xx: number;
  goal: number;
}

async function measure(name: string, path: string, goal: number): Promise<Figures> {
  // Warm the caches and connection pools first.
  await autocannon({ url: `${url}${path}`, headers, connections: 20, duration: 2 });
  const result = await autocannon({
    url: `${url}${path}`,
    headers,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    // Load is generated in worker threads so it does not compete with the API's event loop.
    workers: 2,
  });
  return {
    name,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: Math.round(result.requests.average),
    errors: result.errors,
    non2xx: result.non2xx,
    goal,
  };
}

const figures = [
  // Baseline: the cheapest authenticated route, to tell the machine's limit from the routes' cost.
  await measure('GET /api/me (baseline)', '/api/me', 25),
  await measure('GET /api/jobs (1,000 jobs, page of 50)', '/api/jobs', 25),
  await measure('GET /api/runs/:id (live run)', `/api/runs/${runId}`, 50),
];

console.log(`\n${CONNECTIONS} connections, ${DURATION_SECONDS} s each, API in-process\n`);
for (const f of figures) {
  const verdict = f.p99 < f.goal ? 'meets' : 'MISSES';
  console.log(
    `${f.name}: p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.rps} req/s, errors ${f.errors}, non-2xx ${f.non2xx} — ${verdict} the p99 < ${f.goal} ms goal`,
  );
}

await temporal.client.workflow.getHandle(runId).terminate('benchmark over');
if (worker.pid !== undefined) process.kill(-worker.pid, 'SIGTERM');
server.closeAllConnections();
server.close();
await database.db.dropDatabase();
await database.client.close();
await temporal.connection.close();
process.exit(0);
