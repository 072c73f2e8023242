/**
 * Worker loss with the defaults a user gets (retries 0): the worker process is SIGKILLed while a
 * task runs and a new one is started. The attempt is dispatched again (DESIGN.md, "Worker loss"):
 * the run succeeds, the earlier task does not run again, and the history shows the loss was noticed
 * within 15 s. durability.test.ts and multiprocess.test.ts kill workers under friendlier settings.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { startChildWorker, type ChildWorker } from './support/child-worker';
import { useTestEnvironment } from './support/environment';
import { bundleInterpreter } from '../src/bundle';
import { planOf, resultOf, startRun, startWorkers, uniqueName } from './support/harness';
import { recordFixture } from './support/histories';
import { httpTask, job, type TestTask } from './support/jobs';

const env = useTestEnvironment('worker-loss', { workers: 'none' });
const children: ChildWorker[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
});

async function worker(): Promise<ChildWorker> {
  const child = await startChildWorker(env.harness.config, {
    BATCHGRAPH_COMMANDS_ALLOWED: 'sleep',
  });
  children.push(child);
  return child;
}

async function kill(child: ChildWorker): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

async function waitUntil(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** Whether Temporal has handed an attempt of the activity to a worker. */
async function activityStarted(handle: WorkflowHandle, activityId: string): Promise<boolean> {
  const { raw } = await handle.describe();
  return (raw.pendingActivities ?? []).some(
    (activity) =>
      activity.activityId === activityId &&
      activity.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
  );
}

interface Loss {
  activityId: string;
  /** From the lost attempt's scheduling to its heartbeat timeout. */
  detectedWithinMs: number;
}

/** The heartbeat timeouts in the history, and how long each took from its activity's scheduling. */
function losses(history: History): Loss[] {
  const scheduled = new Map<string, { activityId: string; at: number }>();
  const found: Loss[] = [];
  const millis = (event: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
    Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
  for (const event of history.events ?? []) {
    const schedule = event.activityTaskScheduledEventAttributes;
    if (schedule) {
      scheduled.set(String(event.eventId), {
        activityId: schedule.activityId ?? '',
        at: millis(event),
      });
    }
    const timedOut = event.activityTaskTimedOutEventAttributes;
    if (timedOut) {
      const lost = scheduled.get(String(timedOut.scheduledEventId))!;
      expect(timedOut.failure?.timeoutFailureInfo?.timeoutType).toBe(
        temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT,
      );
      // Not "maximum attempts reached": the loss used none of the task's retries.
      expect(timedOut.retryState).toBe(
        temporal.api.enums.v1.RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
      );
      found.push({ activityId: lost.activityId, detectedWithinMs: millis(event) - lost.at });
    }
  }
  return found;
}

/** Runs `first → victim` with default settings, killing the worker once `victim` is running. */
async function loseWorkerDuring(
  name: string,
  victim: TestTask,
  running: (handle: WorkflowHandle) => Promise<boolean>,
) {
  const first = httpTask('first', env.standIn.url(`/t/${name}/first`));
  const plan = planOf(job(name, [first, victim], [['first', victim.id]]), env.queue);
  const doomed = await worker();
  const handle = await startRun(env.harness.client, plan);
  await waitUntil(() => running(handle));
  await kill(doomed);
  await worker();
  const result = await resultOf(handle);
  const history = await handle.fetchHistory();
  recordFixture(`replay-redispatch-${name}`, { workflowId: handle.workflowId, history });
  return { result, history };
}

describe('a lost worker, with default settings', () => {
  it('re-dispatches a running http task to the next worker', async () => {
    const victim = httpTask('slow', env.standIn.url('/t/wl-http/slow?ms=6000'));
    const { result, history } = await loseWorkerDuring(
      'wl-http',
      victim,
      async () => env.standIn.count('/t/wl-http/slow') > 0,
    );

    expect(result.status).toBe('succeeded');
    expect(result.tasks.first).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(result.tasks.slow).toMatchObject({ state: 'succeeded', attempts: 1, workerLost: 1 });
    expect(env.standIn.count('/t/wl-http/first')).toBe(1);
    expect(env.standIn.count('/t/wl-http/slow')).toBe(2);
    // Both attempts carry the same idempotency key, so the remote system can tell them apart.
    const keys = env.standIn.requests
      .filter((request) => request.path === '/t/wl-http/slow')
      .map((request) => request.idempotencyKey);
    expect(new Set(keys).size).toBe(1);
    const [loss, ...more] = losses(history);
    expect(more).toEqual([]);
    expect(loss?.activityId).toBe('slow');
    expect(loss!.detectedWithinMs).toBeLessThan(15_000);
  });

  it('re-dispatches a running foreach chunk', async () => {
    const items = Array.from({ length: 6 }, (_, i) => i);
    const victim: TestTask = {
      id: 'each',
      type: 'foreach',
      params: {
        items,
        concurrency: 1,
        task: { type: 'http', params: { url: env.standIn.url('/t/wl-each/{{ item }}?ms=1000') } },
      },
    };
    const { result, history } = await loseWorkerDuring(
      'wl-each',
      victim,
      async () => env.standIn.count('/t/wl-each/2') > 0,
    );

    expect(result.status).toBe('succeeded');
    expect(result.tasks.each).toMatchObject({
      state: 'succeeded',
      workerLost: 1,
      progress: { total: 6, done: 6, succeeded: 6, failed: 0 },
    });
    expect(env.standIn.count('/t/wl-each/first')).toBe(1);
    for (const item of items)
      expect(env.standIn.count(`/t/wl-each/${item}`)).toBeGreaterThanOrEqual(1);
    const [loss, ...more] = losses(history);
    expect(more).toEqual([]);
    expect(loss?.activityId).toBe('each#0');
    expect(loss!.detectedWithinMs).toBeLessThan(15_000);
  });

  it('re-dispatches a running command task', async () => {
    const victim: TestTask = {
      id: 'cmd',
      type: 'command',
      params: { command: 'sleep', args: ['6'] },
    };
    const { result, history } = await loseWorkerDuring('wl-cmd', victim, (handle) =>
      activityStarted(handle, 'cmd'),
    );

    expect(result.status).toBe('succeeded');
    expect(result.tasks.cmd).toMatchObject({ state: 'succeeded', attempts: 1, workerLost: 1 });
    expect(env.standIn.count('/t/wl-cmd/first')).toBe(1);
    const [loss, ...more] = losses(history);
    expect(more).toEqual([]);
    expect(loss?.activityId).toBe('cmd');
    expect(loss!.detectedWithinMs).toBeLessThan(15_000);
  });

  it('fails a task that loses its worker 5 times in a row', { timeout: 400_000 }, async () => {
    // The interpreter runs in this process; the task, on a queue of its own, on worker processes
    // that its command kills, as a task that crashes its worker would.
    const crashQueue = uniqueName('wf-crash');
    const crash: TestTask = {
      id: 'crash',
      type: 'command',
      params: { command: 'sh', args: ['-c', 'kill -9 $PPID'] },
      taskQueue: crashQueue,
    };
    const interpreter = await startWorkers(env.harness, await bundleInterpreter());
    try {
      const handle = await startRun(
        env.harness.client,
        planOf(job('wl-crash', [crash]), env.queue),
      );
      for (let lost = 0; lost < 5; lost++) {
        const child = await startChildWorker(
          { ...env.harness.config, BATCHGRAPH_WORKER_QUEUES: [crashQueue] },
          { BATCHGRAPH_COMMANDS_ALLOWED: 'sh' },
        );
        children.push(child);
        await child.exited;
      }
      const result = await resultOf(handle);

      expect(result.status).toBe('failed');
      expect(result.tasks.crash).toMatchObject({ state: 'failed', attempts: 1, workerLost: 4 });
      expect(result.tasks.crash!.error).toMatch(/lost its worker 5 times in a row/);
      expect(losses(await handle.fetchHistory())).toHaveLength(5);
    } finally {
      await interpreter.stop();
    }
  });
});
