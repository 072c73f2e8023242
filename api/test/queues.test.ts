/**
 * A job's `settings.taskQueue` is only the default queue of its tasks: the interpreter runs on the
 * interpreter queue (BATCHGRAPH_TASK_QUEUE) whatever the job says, so a worker that serves only
 * activities on the job's queue is enough for its tasks.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from './cli';
import { startHarness, type Harness } from './harness';
import { startWorker, type WorkerProcess } from './worker';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

let h: Harness;
const workers: WorkerProcess[] = [];
let standIn: Server;
let base = '';
const syncQueue = `sync-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  h = await startHarness('queues');
  standIn = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  // One worker on the interpreter queue, one serving only the job's queue (activities only).
  workers.push(
    ...(await Promise.all([
      startWorker(h.taskQueue, h.dbName),
      startWorker(h.taskQueue, h.dbName, { queues: [syncQueue] }),
    ])),
  );
}, 90_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await new Promise((resolve) => standIn?.close(resolve));
  await h?.stop();
});

describe('task queues', () => {
  test('settings.taskQueue moves the tasks, not the interpreter', async () => {
    const job = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'On the sync queue',
        tasks: [{ id: 'call', type: 'http', params: { url: `${base}/call` } }],
        edges: [],
        settings: { taskQueue: syncQueue },
      },
    });
    const started = await h.api('POST', `/api/jobs/${job.body.id}/runs`, {});
    const runId = started.body.runId as string;
    const run = await eventually(
      () => h.api('GET', `/api/runs/${runId}`),
      (r) => r.status === 200 && r.body.status !== 'running',
      'the run to end',
    );
    expect(run.body).toMatchObject({
      status: 'succeeded',
      tasks: { call: { state: 'succeeded' } },
    });

    const history = await h.services.temporal.client.workflow.getHandle(runId).fetchHistory();
    const events = history.events ?? [];
    const started0 = events[0]?.workflowExecutionStartedEventAttributes;
    expect(started0?.taskQueue?.name).toBe(h.taskQueue);
    const scheduled = events.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )?.activityTaskScheduledEventAttributes;
    expect(scheduled?.taskQueue?.name).toBe(syncQueue);
  });
});
