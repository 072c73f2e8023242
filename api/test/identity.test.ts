/**
 * Trusted run identity: the worker opens a connection only for an identity the API signed for
 * that very workflow. A run started straight on Temporal with a forged `startedBy` (or with a
 * proof copied from another run) gets none, and the secret never leaves the worker.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WORKFLOW_TYPE, type Plan, type RunInput } from '@batchgraph/engine';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from './cli';
import { startHarness, type ApiResponse, type Harness } from './harness';
import { startWorker, type WorkerProcess } from './worker';

let h: Harness;
let worker: WorkerProcess;
let echo: Server;
let base = '';
const seen: IncomingHttpHeaders[] = [];
const SECRET = 'admin-private-secret-7f3a';

beforeAll(async () => {
  h = await startHarness('identity');
  echo = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  worker = await startWorker(h.taskQueue, h.dbName, {
    env: { BATCHGRAPH_SECRET_KEY: h.config.BATCHGRAPH_SECRET_KEY! },
  });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await new Promise((resolve) => echo?.close(resolve));
  await h?.stop();
});

async function finished(runId: string): Promise<ApiResponse> {
  return eventually(
    () => h.api('GET', `/api/runs/${runId}`),
    (r) => r.status === 200 && r.body.status !== 'running',
    `run ${runId} to end`,
  );
}

describe('run identity', () => {
  test('a run started on Temporal with a forged identity gets no connection', async () => {
    const connection = await h.api('POST', '/api/connections', {
      body: {
        name: 'vault',
        kind: 'bearer',
        shared: false,
        origins: [base],
        secret: { token: SECRET },
      },
    });
    expect(connection.status).toBe(201);
    const job = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Uses the admin vault',
        tasks: [{ id: 'call', type: 'http', params: { url: `${base}/in`, connection: 'vault' } }],
        edges: [],
      },
    });
    const jobId = job.body.id as string;

    // Through the API the admin's run is signed, and the connection applies.
    const started = await h.api('POST', `/api/jobs/${jobId}/runs`, { body: {} });
    const run = await finished(started.body.runId as string);
    expect(run.body.status).toBe('succeeded');
    expect(seen.at(-1)!.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.stringify(run.body)).not.toContain('"proof"');

    // Straight on Temporal: the same plan, claiming to be the admin.
    const version = await h.services.database.versions.findOne({ jobId, version: 1 });
    const plan = JSON.parse(version!.plan) as Plan;
    const genuine = (await h.services.runs.input(started.body.runId as string)).startedBy;
    const forgeries: RunInput['startedBy'][] = [
      { id: 'key_admin', name: 'admin' },
      genuine, // a real proof, copied from another run
    ];
    const before = seen.length;
    for (const [index, startedBy] of forgeries.entries()) {
      const workflowId = `job-${jobId}-2099010${index + 1}T000000Z`;
      await h.services.temporal.client.workflow.start(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: plan.taskQueue,
        args: [{ plan, trigger: 'manual', startedBy } satisfies RunInput],
      });
      const forged = await finished(workflowId);
      expect(forged.body.status).toBe('failed');
      expect(forged.body.tasks.call.error).toMatch(/refused: .*outside the Batchgraph API/);
    }
    expect(seen.slice(before)).toHaveLength(0);
  });
});
