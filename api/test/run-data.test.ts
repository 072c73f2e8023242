/**
 * Run data through the API (DESIGN.md, Data and limits): full task outputs come from the output
 * store (GET /api/runs/:id/tasks/:taskId/output, live or closed), over-limit plans and run inputs
 * are refused with a 413 naming the limit, and a terminated run reads as `terminated`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from './cli';
import { startHarness, type Harness } from './harness';
import { startWorker, type WorkerProcess } from './worker';

let h: Harness;
let worker: WorkerProcess;
let standIn: Server;
let base = '';
const BIG = 300_000;

beforeAll(async () => {
  h = await startHarness('run-data');
  standIn = createServer((req, res) => {
    const reply = (): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n: 7, pad: req.url === '/big' ? 'x'.repeat(BIG) : '' }));
    };
    if (req.url?.startsWith('/slow')) setTimeout(reply, 4000);
    else reply();
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  worker = await startWorker(h.taskQueue, h.dbName);
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await new Promise((resolve) => standIn?.close(resolve));
  await h?.stop();
});

async function createJob(body: unknown): Promise<string> {
  const created = await h.api('POST', '/api/jobs', { body });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('task outputs', () => {
  test('are read whole from the store, while the run runs and after it ended', async () => {
    const jobId = await createJob({
      formatVersion: 1,
      name: 'Big outputs',
      tasks: [
        { id: 'big', type: 'http', params: { url: `${base}/big` } },
        { id: 'slow', type: 'http', params: { url: `${base}/slow/{{ tasks.big.output.body.n }}` } },
      ],
      edges: [{ from: 'big', to: 'slow', on: 'success' }],
    });
    const runId = (await h.api('POST', `/api/jobs/${jobId}/runs`, { body: {} })).body
      .runId as string;
    const live = await eventually(
      () => h.api('GET', `/api/runs/${runId}`),
      (r) => r.body.tasks?.slow?.state === 'running',
      'the slow task to start',
    );
    expect(live.body.tasks.big.output).toMatchObject({
      truncated: true,
      bytes: expect.any(Number),
    });
    const viewer = await h.keyFor('viewer');
    const whileRunning = await h.api('GET', `/api/runs/${runId}/tasks/big/output`, { key: viewer });
    expect(whileRunning.status).toBe(200);
    expect(whileRunning.body.body.pad).toHaveLength(BIG);
    const notYet = await h.api('GET', `/api/runs/${runId}/tasks/slow/output`);
    expect(notYet.status).toBe(404);

    const done = await eventually(
      () => h.api('GET', `/api/runs/${runId}`),
      (r) => r.body.status !== 'running',
      'the run to end',
    );
    expect(done.body.status).toBe('succeeded');
    const after = await h.api('GET', `/api/runs/${runId}/tasks/big/output`);
    expect(after.body.body.pad).toHaveLength(BIG);
    const slow = await h.api('GET', `/api/runs/${runId}/tasks/slow/output`);
    expect(slow.body).toMatchObject({ status: 200, body: { n: 7 } });
    expect((await h.api('GET', `/api/runs/${runId}/tasks/big/output`, { key: null })).status).toBe(
      401,
    );
    expect((await h.api('GET', `/api/runs/${runId}/tasks/nope/output`)).status).toBe(404);
  }, 60_000);
});

describe('limits', () => {
  test('refuse a run input over BATCHGRAPH_MAX_RUN_INPUT_BYTES with a 413', async () => {
    const jobId = await createJob({
      formatVersion: 1,
      name: 'Input limit',
      inputs: [{ name: 'rows', type: 'string' }],
      tasks: [{ id: 'a', type: 'delay', params: { seconds: 0 } }],
      edges: [],
    });
    const started = await h.api('POST', `/api/jobs/${jobId}/runs`, {
      body: { input: { rows: 'r'.repeat(600_000) } },
    });
    expect(started.status).toBe(413);
    expect(started.body.error.code).toBe('payload_too_large');
    expect(started.body.error.message).toMatch(/BATCHGRAPH_MAX_RUN_INPUT_BYTES/);
  });

  test('refuse to save a job whose plan is over BATCHGRAPH_MAX_PLAN_BYTES with a 413', async () => {
    // Each sub-job embeds the compiled plan of the job it runs, so three copies pass 1 MB.
    const part = await createJob({
      formatVersion: 1,
      name: 'Big part',
      tasks: [{ id: 'a', type: 'http', params: { url: `${base}/ok`, body: 'b'.repeat(400_000) } }],
      edges: [],
    });
    const saved = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Too big',
        tasks: ['p1', 'p2', 'p3'].map((id) => ({ id, type: 'subjob', params: { jobId: part } })),
        edges: [],
      },
    });
    expect(saved.status).toBe(413);
    expect(saved.body.error.message).toMatch(/BATCHGRAPH_MAX_PLAN_BYTES/);
  });
});

describe('terminated runs', () => {
  test('read as terminated, not cancelled', async () => {
    const jobId = await createJob({
      formatVersion: 1,
      name: 'Terminated',
      tasks: [{ id: 'wait', type: 'delay', params: { seconds: 600 } }],
      edges: [],
    });
    const runId = (await h.api('POST', `/api/jobs/${jobId}/runs`, { body: {} })).body
      .runId as string;
    await eventually(
      () => h.api('GET', `/api/runs/${runId}`),
      (r) => r.body.tasks?.wait?.state === 'running',
      'the delay to start',
    );
    await h.services.temporal.client.workflow.getHandle(runId).terminate('test');
    h.services.runs.forget(runId);
    const read = await h.api('GET', `/api/runs/${runId}`);
    expect(read.body.status).toBe('terminated');
    const listed = await eventually(
      () => h.api('GET', `/api/runs?jobId=${jobId}&status=terminated`),
      (r) => r.body.items.length === 1,
      'the terminated run in visibility',
    );
    expect(listed.body.items[0]).toMatchObject({ runId, status: 'terminated' });
  });
});
