/**
 * Durability: the worker process is SIGKILLed at random points of a 30-task run and replaced;
 * the run completes, and no task whose completion Temporal had recorded runs again.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildWorker, type ChildWorker } from './support/child-worker';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun, statesOf } from './support/harness';
import { httpTask, job, type TestTask } from './support/jobs';

let current: ChildWorker | undefined;

const env = useTestEnvironment('durability', { workers: 'none' });

afterAll(() => {
  current?.process.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** start → 10 in parallel → join → a chain of 18: 30 tasks. */
function durableJob(url: (path: string) => string): unknown {
  const task = (id: string): TestTask =>
    httpTask(id, url(`/t/dur/${id}?ms=400`), {
      timeoutSeconds: 5,
      retries: 10,
      retryBackoff: { initialSeconds: 0.2, coefficient: 1 },
    });
  const parallel = Array.from({ length: 10 }, (_, i) => `p${i}`);
  const chain = Array.from({ length: 18 }, (_, i) => `s${i}`);
  return job(
    'durability',
    ['start', ...parallel, 'join', ...chain].map(task),
    [
      ...parallel.map((id) => ['start', id] as [string, string]),
      ...parallel.map((id) => [id, 'join'] as [string, string]),
      ['join', 's0'],
      ...chain.slice(1).map((id, i) => [chain[i]!, id] as [string, string]),
    ],
    { maxParallel: 10 },
  );
}

/** Ids of the activities whose completion the history holds. */
function completedActivities(history: History): Set<string> {
  const ids = new Map<string, string>();
  const done = new Set<string>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) ids.set(String(event.eventId), scheduled.activityId ?? '');
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) done.add(ids.get(String(completed.scheduledEventId))!);
  }
  return done;
}

describe('worker crashes', () => {
  it('completes the run and never re-runs a completed task', async () => {
    const plan = planOf(
      durableJob((path) => env.standIn.url(path)),
      env.queue,
    );
    const handle = await startRun(env.harness.client, plan);
    const kills: { seq: number; completed: Set<string> }[] = [];
    for (let kill = 0; kill < 3; kill++) {
      current = await startChildWorker(env.harness.config);
      await sleep(800 + Math.random() * 2000);
      current.process.kill('SIGKILL');
      await current.exited;
      const completed = completedActivities(await handle.fetchHistory());
      kills.push({ seq: env.standIn.requests.length, completed });
      if (completed.size === 30) break;
    }
    current = await startChildWorker(env.harness.config);
    const result = await resultOf(handle);
    current.process.kill('SIGTERM');
    expect(await current.exited).toBe(0);

    expect(result.status).toBe('succeeded');
    expect(Object.values(statesOf(result)).every((state) => state === 'succeeded')).toBe(true);
    expect(kills.length).toBeGreaterThan(0);
    expect(kills.some((kill) => kill.completed.size > 0 && kill.completed.size < 30)).toBe(true);
    for (const kill of kills) {
      const repeated = env.standIn.requests
        .filter((request) => request.seq >= kill.seq)
        .map((request) => request.path.replace('/t/dur/', ''))
        .filter((id) => kill.completed.has(id));
      expect(repeated).toEqual([]);
    }
    for (const task of plan.tasks) {
      expect(env.standIn.count(`/t/dur/${task.id}`), task.id).toBeGreaterThanOrEqual(1);
    }
  });
});
