/**
 * Several worker processes (`tsx src/worker.ts`) on two task queues: a 200-task run survives two
 * of them being SIGKILLed one after the other, every task runs on a worker of its own queue, and
 * no task Temporal had recorded as completed runs again. And a worker given SIGTERM stops taking
 * tasks, lets its running activity finish, and exits 0.
 */
import type { Config } from '@batchgraph/engine';
import type { History } from '@temporalio/common/lib/proto-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildWorker, type ChildWorker } from './support/child-worker';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun, statesOf, uniqueName } from './support/harness';
import { httpTask, job } from './support/jobs';

const children: ChildWorker[] = [];

const env = useTestEnvironment('multiprocess', { workers: 'none' });

afterAll(() => {
  for (const child of children) child.process.kill('SIGKILL');
});

interface Started {
  child: ChildWorker;
  /** The identities of the process's workers, one per queue it serves. */
  identities: string[];
  queues: string[];
}

async function startWorker(config: Config, queues: string[]): Promise<Started> {
  const child = await startChildWorker({ ...config, BATCHGRAPH_WORKER_QUEUES: queues });
  children.push(child);
  const started = child.logs().find((line) => line.msg === 'worker started');
  return { child, identities: (started?.identities as string[] | undefined) ?? [], queues };
}

interface Execution {
  activityId: string;
  taskQueue: string;
  /** The worker that completed it. */
  identity: string;
  attempt: number;
}

/** The activities whose completion the history holds, with who ran them. */
function completions(history: History): Execution[] {
  const scheduled = new Map<string, { activityId: string; taskQueue: string }>();
  const attempts = new Map<string, number>();
  const done: Execution[] = [];
  for (const event of history.events ?? []) {
    const schedule = event.activityTaskScheduledEventAttributes;
    if (schedule) {
      scheduled.set(String(event.eventId), {
        activityId: schedule.activityId ?? '',
        taskQueue: schedule.taskQueue?.name ?? '',
      });
    }
    const start = event.activityTaskStartedEventAttributes;
    if (start) attempts.set(String(start.scheduledEventId), start.attempt ?? 0);
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const key = String(completed.scheduledEventId);
      done.push({
        ...scheduled.get(key)!,
        identity: completed.identity ?? '',
        attempt: attempts.get(key) ?? 0,
      });
    }
  }
  return done;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('several worker processes', () => {
  it('finish a 200-task run on two queues while two of the three workers are killed', async () => {
    const queueA = env.queue;
    const queueB = uniqueName('wf-mp-b');
    const ids = Array.from({ length: 200 }, (_, i) => `t${i}`);
    const plan = planOf(
      job(
        'multiprocess',
        ids.map((id, i) =>
          httpTask(id, env.standIn.url(`/t/mp/${id}?ms=150`), {
            taskQueue: i % 2 === 0 ? queueA : queueB,
            timeoutSeconds: 3,
            retries: 10,
            retryBackoff: { initialSeconds: 0.2, coefficient: 1 },
          }),
        ),
        [],
        { maxParallel: 12 },
      ),
      queueA,
    );
    // Killing the A-only and the B-only worker leaves the one serving both.
    const onlyA = await startWorker(env.harness.config, [queueA]);
    const both = await startWorker(env.harness.config, [queueA, queueB]);
    const onlyB = await startWorker(env.harness.config, [queueB]);
    const workers = [onlyA, both, onlyB];

    const handle = await startRun(env.harness.client, plan);
    const kills: { seq: number; completed: Set<string> }[] = [];
    for (const [victim, afterRequests] of [
      [onlyA, 50],
      [onlyB, 110],
    ] as const) {
      await waitUntil(() => env.standIn.requests.length >= afterRequests);
      victim.child.process.kill('SIGKILL');
      expect(await victim.child.exited).toBeNull();
      const completed = completions(await handle.fetchHistory()).map((e) => e.activityId);
      kills.push({ seq: env.standIn.requests.length, completed: new Set(completed) });
    }
    const result = await resultOf(handle);

    expect(result.status).toBe('succeeded');
    expect(Object.values(statesOf(result)).every((state) => state === 'succeeded')).toBe(true);
    const executions = completions(await handle.fetchHistory());
    expect(executions.map((e) => e.activityId).sort()).toEqual([...ids].sort());
    const queueOf = new Map(plan.tasks.map((task) => [task.id, task.taskQueue]));
    const servedBy = new Map(workers.flatMap((w) => w.identities.map((id) => [id, w.queues])));
    for (const execution of executions) {
      expect(execution.taskQueue, execution.activityId).toBe(queueOf.get(execution.activityId));
      expect(servedBy.get(execution.identity), execution.activityId).toContain(execution.taskQueue);
    }
    // The kills came mid-run, and nothing completed before a kill ran again after it.
    for (const kill of kills) {
      expect(kill.completed.size).toBeGreaterThan(0);
      expect(kill.completed.size).toBeLessThan(200);
      const repeated = env.standIn.requests
        .filter((request) => request.seq >= kill.seq)
        .map((request) => request.path.replace('/t/mp/', ''))
        .filter((id) => kill.completed.has(id));
      expect(repeated).toEqual([]);
    }
    for (const id of ids) expect(env.standIn.count(`/t/mp/${id}`), id).toBeGreaterThanOrEqual(1);

    const spread = workers.map((worker) => ({
      worker: worker.identities.join(' '),
      queues: worker.queues.join('+'),
      completed: executions.filter((e) => worker.identities.includes(e.identity)).length,
      retried: executions.filter((e) => worker.identities.includes(e.identity) && e.attempt > 1)
        .length,
    }));
    process.stdout.write(
      `Tasks completed per worker process (identity, queues: completed, of them retried):\n${spread
        .map((row) => `  ${row.worker} ${row.queues}: ${row.completed}, ${row.retried}`)
        .join('\n')}\n`,
    );
    expect(spread.reduce((sum, row) => sum + row.completed, 0)).toBe(200);
    await stopGracefully(both.child);
  });

  it('lets a running activity finish after SIGTERM, takes no new task, and exits 0', async () => {
    const config: Config = { ...env.harness.config, BATCHGRAPH_TASK_QUEUE: uniqueName('wf-term') };
    const queue = config.BATCHGRAPH_TASK_QUEUE;
    const plan = planOf(
      job(
        'sigterm',
        [
          httpTask('slow', env.standIn.url('/t/term/slow?hold=term&ms=1000'), {
            timeoutSeconds: 60,
          }),
          httpTask('next', env.standIn.url('/t/term/next')),
        ],
        [['slow', 'next']],
      ),
      queue,
    );
    const stopping = await startWorker(config, [queue]);
    const handle = await startRun(env.harness.client, plan);
    await env.standIn.waitForHeld('term');

    stopping.child.process.kill('SIGTERM');
    await waitUntil(() =>
      stopping.child
        .logs()
        .some((line) => line.msg === 'Worker state changed' && line.state === 'DRAINING'),
    );
    // The activity answers only now, a second later, while the worker drains.
    env.standIn.release('term');
    expect(await stopping.child.exited).toBe(0);
    expect(env.standIn.count('/t/term/next')).toBe(0);

    const successor = await startWorker(config, [queue]);
    const result = await resultOf(handle);
    expect(result.status).toBe('succeeded');
    expect(result.tasks.slow).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(env.standIn.count('/t/term/slow')).toBe(1);
    const executions = completions(await handle.fetchHistory());
    expect(executions.find((e) => e.activityId === 'slow')).toMatchObject({
      identity: stopping.identities[0],
      attempt: 1,
    });
    expect(executions.find((e) => e.activityId === 'next')?.identity).toBe(successor.identities[0]);
    await stopGracefully(successor.child);
  });
});

async function stopGracefully(child: ChildWorker): Promise<void> {
  child.process.kill('SIGTERM');
  expect(await child.exited).toBe(0);
}
