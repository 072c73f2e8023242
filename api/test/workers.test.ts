/** Worker and queue health from Temporal's pollers, and runs that wait for a worker. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from './cli';
import { startHarness, type Harness } from './harness';
import { startWorker, type WorkerProcess } from './worker';

let h: Harness;
let worker: WorkerProcess;

beforeAll(async () => {
  h = await startHarness('workers', { env: { BATCHGRAPH_WORKER_WAIT_WARN_SECONDS: '1' } });
  worker = await startWorker(h.taskQueue, h.dbName);
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await h?.stop();
});

describe('workers', () => {
  test("lists each queue's pollers, with whether they run command tasks", async () => {
    const answer = await eventually(
      () => h.api('GET', `/api/workers?queue=${h.taskQueue}`),
      (r) => r.status === 200 && r.body.queues[0]?.activityWorkers >= 1,
      'the worker polling its queue',
    );
    const [queue] = answer.body.queues;
    expect(queue).toMatchObject({ name: h.taskQueue, workflowWorkers: 1, activityWorkers: 1 });
    expect(queue.commandsEnabled).toBe(false);
    expect(queue.pollers[0]).toMatchObject({ live: true, commandsEnabled: false });
    expect(Date.parse(queue.pollers[0].lastSeenAt)).toBeGreaterThan(Date.now() - 120_000);

    const viewer = await h.keyFor('viewer');
    expect((await h.api('GET', '/api/workers', { key: viewer })).status).toBe(200);
    expect((await h.api('GET', '/api/workers?queue=bad%20name')).status).toBe(400);
  });

  test('a task on a queue no worker polls shows that it waits for a worker', async () => {
    const lonely = `${h.taskQueue}-nobody`;
    const job = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Waits for a worker',
        tasks: [
          {
            id: 'stuck',
            type: 'http',
            params: { url: 'http://127.0.0.1:9/never-called' },
            taskQueue: lonely,
          },
        ],
      },
    });
    expect(job.status).toBe(201);
    const listed = await h.api('GET', '/api/workers');
    expect(listed.body.queues.map((q: { name: string }) => q.name)).toContain(lonely);
    expect(
      listed.body.queues.find((q: { name: string }) => q.name === lonely).activityWorkers,
    ).toBe(0);

    const started = await h.api('POST', `/api/jobs/${job.body.id}/runs`, { body: {} });
    const runId = started.body.runId as string;
    const run = await eventually(
      () => h.api('GET', `/api/runs/${runId}`),
      (r) => r.status === 200 && (r.body.waiting?.length ?? 0) > 0,
      'the run to say it waits for a worker',
    );
    expect(run.body.waiting).toEqual([
      expect.objectContaining({
        taskId: 'stuck',
        queue: lonely,
        workers: 0,
        message: `waiting for a worker on queue ${lonely} (no worker polls it)`,
      }),
    ]);
    await h.api('POST', `/api/runs/${runId}/cancel`);
  });
});
