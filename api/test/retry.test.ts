/**
 * Retry from failure through the API (DESIGN.md, "Retry from failure"), on the real servers with a
 * real worker and the defaults a user gets (retries 0): the re-run set, the retry plan preview,
 * the version choice, foreach redrive, one retry per run, and whose identity the retry uses.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from './cli';
import { startHarness, type ApiResponse, type Harness } from './harness';
import { startWorker, type WorkerProcess } from './worker';

let h: Harness;
let worker: WorkerProcess;
let standIn: Server;
let base = '';
const hits: Record<string, number> = {};
const keys: Record<string, string[]> = {};
/** Paths that answer 500 until removed. */
const broken = new Set<string>();

beforeAll(async () => {
  h = await startHarness('retry');
  standIn = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    keys[path] = [...(keys[path] ?? []), String(req.headers['idempotency-key'])];
    const failing = broken.has(path) || path === '/always-fails';
    res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(failing ? { error: 'down' } : { path }));
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

async function finished(runId: string): Promise<ApiResponse> {
  return eventually(
    () => h.api('GET', `/api/runs/${runId}`),
    (r) => r.status === 200 && r.body.status !== 'running',
    `run ${runId} to end`,
  );
}

const http = (id: string, path: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'http',
  params: { url: `${base}${path}` },
  ...extra,
});

async function failedRun(document: unknown): Promise<{ jobId: string; runId: string }> {
  const job = await h.api('POST', '/api/jobs', { body: document });
  expect(job.status).toBe(201);
  const jobId = job.body.id as string;
  const started = await h.api('POST', `/api/jobs/${jobId}/runs`, {});
  const runId = started.body.runId as string;
  expect((await finished(runId)).body.status).toBe('failed');
  return { jobId, runId };
}

describe('retry from failure', () => {
  test('re-runs the failed task and all it reaches; reuses the rest', async () => {
    // a → b → x, b → cleanup (always), x → handler (failure), a|b → either (join any), sibling.
    broken.add('/g/b');
    const { jobId, runId } = await failedRun({
      formatVersion: 1,
      name: 'Retry graph',
      tasks: [
        http('a', '/g/a'),
        http('b', '/g/b'),
        http('x', '/always-fails'),
        http('cleanup', '/g/cleanup'),
        http('handler', '/g/handler'),
        http('either', '/g/either', { join: 'any' }),
        http('sibling', '/g/sibling'),
      ],
      edges: [
        { from: 'a', to: 'b', on: 'success' },
        { from: 'b', to: 'x', on: 'success' },
        { from: 'b', to: 'cleanup', on: 'always' },
        { from: 'x', to: 'handler', on: 'failure' },
        { from: 'a', to: 'either', on: 'success' },
        { from: 'b', to: 'either', on: 'success' },
      ],
    });
    expect(hits['/g/cleanup']).toBe(1);
    expect(hits['/g/either']).toBe(1);

    const preview = await h.api('GET', `/api/runs/${runId}/retry-plan`);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      retryOf: runId,
      runId: `${runId}-retry`,
      jobId,
      versionChoice: 'failed',
      version: 1,
      rerun: ['b', 'x', 'cleanup', 'handler', 'either'],
      reused: ['a', 'sibling'],
      redriven: [],
    });

    broken.delete('/g/b');
    const operator = await h.keyFor('operator');
    const retried = await h.api('POST', `/api/runs/${runId}/retry`, { key: operator });
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ runId: `${runId}-retry`, created: true });
    const retry = await finished(retried.body.runId);
    expect(retry.body).toMatchObject({
      status: 'succeeded',
      trigger: 'retry',
      retryOf: runId,
      // The retry keeps the failed run's identity; who asked is recorded beside it.
      startedBy: { name: 'admin' },
      retriedBy: { name: 'operator key' },
      tasks: {
        a: { state: 'succeeded', reused: true },
        sibling: { state: 'succeeded', reused: true },
        b: { state: 'succeeded' },
        x: { state: 'failed' },
        cleanup: { state: 'succeeded' },
        handler: { state: 'succeeded' },
        either: { state: 'succeeded' },
      },
    });
    for (const id of ['b', 'x', 'cleanup', 'handler', 'either']) {
      expect(retry.body.tasks[id].reused, id).toBeUndefined();
    }
    expect(hits['/g/a']).toBe(1);
    expect(hits['/g/sibling']).toBe(1);
    expect(hits['/g/b']).toBe(2);
    expect(hits['/g/cleanup']).toBe(2);
    expect(hits['/g/handler']).toBe(1);
    expect(hits['/g/either']).toBe(2);
    // The re-run task sends the idempotency key its first run sent.
    expect(new Set(keys['/g/b'])).toEqual(new Set([`${encodeURIComponent(runId)}/b`]));

    // Asking again returns the same retry and starts nothing.
    const again = await h.api('POST', `/api/runs/${runId}/retry`, { key: operator });
    expect(again.body).toEqual({ runId: `${runId}-retry`, created: false });
    expect(hits['/g/b']).toBe(2);
    const audit = await h.api('GET', `/api/audit?jobId=${jobId}&action=run.retried`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      runId: `${runId}-retry`,
      actor: { name: 'operator key' },
      details: { retryOf: runId, retriedBy: { name: 'operator key' }, reused: ['a', 'sibling'] },
    });
  });

  test('retries on the current version after a fix, reusing only unchanged tasks', async () => {
    const document = (path: string) => ({
      formatVersion: 1,
      name: 'Retry fixed',
      tasks: [http('p', '/v/p'), http('q', path), http('r', '/v/r')],
      edges: [{ from: 'p', to: 'q', on: 'success' }],
    });
    const { jobId, runId } = await failedRun(document('/always-fails'));
    const saved = await h.api('PUT', `/api/jobs/${jobId}`, {
      body: { baseVersion: 1, document: document('/v/q-fixed') },
    });
    expect(saved.status).toBe(200);

    const onFailed = await h.api('GET', `/api/runs/${runId}/retry-plan`);
    expect(onFailed.body).toMatchObject({ version: 1, rerun: ['q'], reused: ['p', 'r'] });
    const onCurrent = await h.api('GET', `/api/runs/${runId}/retry-plan?version=current`);
    expect(onCurrent.body).toMatchObject({
      versionChoice: 'current',
      version: 2,
      rerun: ['q'],
      reused: ['p', 'r'],
    });
    expect((await h.api('GET', `/api/runs/${runId}/retry-plan?version=newest`)).status).toBe(400);

    const retried = await h.api('POST', `/api/runs/${runId}/retry`, {
      body: { version: 'current' },
    });
    const retry = await finished(retried.body.runId);
    expect(retry.body).toMatchObject({
      status: 'succeeded',
      version: 2,
      tasks: { p: { reused: true }, r: { reused: true }, q: { state: 'succeeded' } },
    });
    expect(hits['/v/p']).toBe(1);
    expect(hits['/v/q-fixed']).toBe(1);
  });

  test('a foreach re-runs only its items that did not succeed', async () => {
    const failing = [4, 9, 13];
    for (const n of failing) broken.add(`/each/${n}`);
    const { runId } = await failedRun({
      formatVersion: 1,
      name: 'Retry foreach',
      tasks: [
        {
          id: 'each',
          type: 'foreach',
          params: {
            items: Array.from({ length: 18 }, (_, i) => i),
            task: { type: 'http', params: { url: `${base}/each/{{ item }}` } },
          },
        },
      ],
      edges: [],
    });
    const failed = await h.api('GET', `/api/runs/${runId}`);
    expect(failed.body.tasks.each.progress).toMatchObject({ total: 18, succeeded: 15, failed: 3 });
    const preview = await h.api('GET', `/api/runs/${runId}/retry-plan`);
    expect(preview.body).toMatchObject({ rerun: ['each'], redriven: ['each'] });

    for (const n of failing) broken.delete(`/each/${n}`);
    const retried = await h.api('POST', `/api/runs/${runId}/retry`, {});
    const retry = await finished(retried.body.runId);
    expect(retry.body.status).toBe('succeeded');
    expect(retry.body.tasks.each.progress).toMatchObject({
      total: 18,
      done: 18,
      succeeded: 18,
      failed: 0,
    });
    for (let n = 0; n < 18; n++) {
      expect(hits[`/each/${n}`], `item ${n}`).toBe(failing.includes(n) ? 2 : 1);
    }
  });
});
