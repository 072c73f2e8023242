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
let flakyHealthy = false;

beforeAll(async () => {
  h = await startHarness('runs');
  // A stand-in for a remote HTTP system the tasks call.
  standIn = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    const route = path.split('?')[0];
    const ok = route === '/ok' || (route === '/flaky' && flakyHealthy);
    res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { value: 42 } : { error: 'down' }));
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

describe('runs', () => {
  test('a failed run, then retry-from-failure reuses what succeeded', async () => {
    const job = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Flaky pipeline',
        inputs: [{ name: 'day', type: 'string' }],
        tasks: [
          { id: 'fetch', type: 'http', params: { url: `${base}/ok` } },
          { id: 'flaky', type: 'http', params: { url: `${base}/flaky` } },
        ],
        edges: [{ from: 'fetch', to: 'flaky', on: 'success' }],
      },
    });
    const jobId = job.body.id as string;
    const operator = await h.keyFor('operator');
    const started = await h.api('POST', `/api/jobs/${jobId}/runs`, {
      key: operator,
      body: { input: { day: 'today' } },
    });
    expect(started.status).toBe(202);
    const runId = started.body.runId as string;
    expect(runId).toMatch(new RegExp(`^job-${jobId}-\\d{8}T\\d{6}Z`));
    // Temporal UI's summary of the run names the job and version.
    const described = await h.services.temporal.client.workflow.getHandle(runId).describe();
    expect(await described.staticSummary()).toBe('Flaky pipeline · v1');

    const failed = await finished(runId);
    expect(failed.body).toMatchObject({
      runId,
      status: 'failed',
      jobId,
      version: 1,
      trigger: 'manual',
      startedBy: { name: 'operator key' },
      temporalUiUrl: expect.stringMatching(
        new RegExp(
          `^${h.config.TEMPORAL_UI_URL}/namespaces/default/workflows/${runId}/[0-9a-f-]{36}/history$`,
        ),
      ),
      tasks: { fetch: { state: 'succeeded' }, flaky: { state: 'failed' } },
    });
    expect(hits['/ok']).toBe(1);
    // Each task links to the event that scheduled its (last) attempt in Temporal UI.
    const link = await h.api('GET', `/api/runs/${runId}/tasks/flaky/temporal-link`);
    expect(link.body.url).toMatch(new RegExp(`^${failed.body.temporalUiUrl}/events/\\d+$`));

    const listed = await eventually(
      () => h.api('GET', `/api/runs?jobId=${jobId}&status=failed`),
      (r) => r.body.items.length === 1,
      'the failed run in visibility',
    );
    expect(listed.body.items[0]).toMatchObject({
      runId,
      jobId,
      jobName: 'Flaky pipeline',
      version: 1,
      status: 'failed',
      trigger: 'manual',
    });
    const jobs = await eventually(
      () => h.api('GET', '/api/jobs?status=failed'),
      (r) => r.body.items.some((j: { id: string }) => j.id === jobId),
      'the job listed by its last run status',
    );
    expect(jobs.body.items.find((j: { id: string }) => j.id === jobId).lastRun).toMatchObject({
      runId,
      status: 'failed',
    });

    flakyHealthy = true;
    const analyst = await h.keyFor('analyst');
    expect((await h.api('POST', `/api/runs/${runId}/retry`, { key: analyst })).status).toBe(403);
    const retried = await h.api('POST', `/api/runs/${runId}/retry`, { key: operator });
    expect(retried.status).toBe(202);
    const retry = await finished(retried.body.runId);
    expect(retry.body).toMatchObject({
      status: 'succeeded',
      trigger: 'retry',
      retryOf: runId,
      tasks: { fetch: { state: 'succeeded', reused: true }, flaky: { state: 'succeeded' } },
    });
    expect(hits['/ok']).toBe(1);
    expect(hits['/flaky']).toBe(2);

    const again = await h.api('POST', `/api/runs/${retried.body.runId}/retry`, { key: operator });
    expect(again.status).toBe(409);
    const audit = await h.api('GET', `/api/audit?jobId=${jobId}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['run.started', 'run.retried', 'job.created']),
    );
  });

  test("a run's input is checked against the declared inputs, whose defaults fill it in", async () => {
    const job = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Declared inputs',
        inputs: [
          { name: 'route', type: 'string', default: 'ok' },
          { name: 'count', type: 'integer', required: true },
        ],
        tasks: [
          {
            id: 'call',
            type: 'http',
            params: { url: `${base}/{{ input.route }}?count={{ input.count }}` },
          },
        ],
      },
    });
    expect(job.status).toBe(201);
    const jobId = job.body.id as string;
    const bad = await h.api('POST', `/api/jobs/${jobId}/runs`, {
      body: { input: { count: 'three', colour: 'red' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      expect.objectContaining({ path: '$.input.count', code: 'invalid_type' }),
      expect.objectContaining({ path: '$.input.colour', code: 'unknown_input' }),
    ]);
    const missing = await h.api('POST', `/api/jobs/${jobId}/runs`, { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      expect.objectContaining({ path: '$.input.count', code: 'required' }),
    ]);

    const started = await h.api('POST', `/api/jobs/${jobId}/runs`, {
      body: { input: { count: 3 } },
    });
    expect(started.status).toBe(202);
    const run = await finished(started.body.runId as string);
    expect(run.body.status).toBe('succeeded');
    expect(hits['/ok?count=3']).toBe(1);

    const undeclared = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Undeclared input',
        tasks: [{ id: 'call', type: 'http', params: { url: `${base}/{{ input.route }}` } }],
      },
    });
    expect(undeclared.status).toBe(400);
    expect(JSON.stringify(undeclared.body)).toContain('template_unknown_input');
  });

  test('a live run streams events; cancel ends it as cancelled', async () => {
    const job = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Long wait',
        tasks: [
          { id: 'wait', type: 'delay', params: { seconds: 600 } },
          { id: 'after', type: 'delay', params: { seconds: 0 } },
        ],
        edges: [{ from: 'wait', to: 'after', on: 'success' }],
      },
    });
    const runId = (await h.api('POST', `/api/jobs/${job.body.id}/runs`, { body: {} })).body
      .runId as string;
    const live = await eventually(
      () => h.api('GET', `/api/runs/${runId}`),
      (r) => r.body.tasks?.wait?.state === 'running',
      'the delay to start',
    );
    expect(live.body).toMatchObject({
      status: 'running',
      tasks: { wait: { state: 'running' }, after: { state: 'pending' } },
    });

    const viewer = await h.keyFor('viewer');
    const controller = new AbortController();
    const stream = await fetch(`${h.url}/api/runs/${runId}/events?access_token=${viewer}`, {
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (marker: string): Promise<void> => {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${marker}:\n${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil('event: run\n');
    expect((await h.api('POST', `/api/runs/${runId}/cancel`, { key: viewer })).status).toBe(403);
    expect((await h.api('POST', `/api/runs/${runId}/cancel`)).status).toBe(202);
    await readUntil('event: end\n');
    controller.abort();
    const views = [...text.matchAll(/event: run\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!));
    expect(views[0].status).toBe('running');
    expect(views.at(-1)).toMatchObject({
      status: 'cancelled',
      tasks: { wait: { state: 'cancelled' }, after: { state: 'skipped' } },
    });

    const closed = await finished(runId);
    expect(closed.body.status).toBe('cancelled');
    expect((await h.api('POST', `/api/runs/${runId}/cancel`)).status).toBe(409);
    expect((await h.api('POST', `/api/runs/${runId}/retry`)).status).toBe(409);
  });

  test('task logs come from MongoDB; unknown runs are 404', async () => {
    await h.services.database.taskLogs.insertMany([
      {
        runId: 'job-x-1',
        taskId: 't',
        attempt: 1,
        at: new Date('2026-01-01T00:00:01Z'),
        stream: 'stdout',
        text: 'second',
      },
      {
        runId: 'job-x-1',
        taskId: 't',
        attempt: 1,
        at: new Date('2026-01-01T00:00:00Z'),
        stream: 'info',
        text: 'first',
      },
    ]);
    const log = await h.api('GET', '/api/runs/job-x-1/tasks/t/log');
    expect(log.body.lines.map((l: { text: string }) => l.text)).toEqual(['first', 'second']);
    expect(log.body.lines[0]).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      attempt: 1,
      stream: 'info',
      text: 'first',
    });
    expect((await h.api('GET', '/api/runs/job-never-was')).status).toBe(404);
    expect((await h.api('GET', '/api/runs/job-never-was/events')).status).toBe(404);
    expect((await h.api('POST', '/api/jobs/no-such-job/runs', { body: {} })).status).toBe(404);
    expect((await h.api('GET', '/api/runs?status=sideways')).status).toBe(400);
  });
});
