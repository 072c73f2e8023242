// The stand-ins listen on free ports here: jobFor() rewrites the job file's stand-in origins
// (http://127.0.0.1:4013) to theirs, and its `sync` task queue to one unique to this test run
// (the Temporal server is shared), before the job is imported through the API.
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncOutcome } from '../../src/entities';
import { waitFor, type Child } from '../support/processes';
import { adminApi, messagesTo, stack, standinState, startPoolWorker } from './context';
import { jobFor } from '../support/jobs';

interface EntitiesState {
  syncs: { id: string; outcome: SyncOutcome }[];
}

const started: Child[] = [];

/** Starts the sync pool's worker and waits until it reports that it serves its queue. */
async function startSyncWorker(queue: string): Promise<Child> {
  const worker = startPoolWorker(queue);
  started.push(worker);
  await waitFor(
    worker,
    `the worker for queue ${queue} did not start`,
    () => Promise.resolve(worker.output().includes('worker started') ? true : undefined),
    90_000,
  );
  return worker;
}

afterAll(async () => {
  await Promise.allSettled(started.map((worker) => worker.stop()));
});

describe('entity-sync example', () => {
  it('waits while the sync pool has no worker, then syncs every entity with counters', async () => {
    const api = adminApi();
    const syncQueue = `${stack().taskQueue}-sync`;
    const document = jobFor('entity-sync.json', stack().standins, [
      ['"taskQueue": "sync"', `"taskQueue": "${syncQueue}"`],
    ]);
    expect(JSON.stringify(document)).toContain(syncQueue);

    // The stack serves the pool with its own worker process; stop it before the run.
    const first = await startSyncWorker(syncQueue);
    await first.stop();

    const jobId = await api.importJob(document);
    const runId = await api.startRun(jobId);
    let stalled = await api.pollRun(
      runId,
      'at its sync task',
      (run) => run.status !== 'running' || run.tasks.sync?.state === 'running',
      60_000,
    );
    expect(stalled.status, JSON.stringify(stalled.tasks)).toBe('running');
    expect(stalled.tasks.fetch?.state).toBe('succeeded');
    expect(stalled.tasks.sync?.state).toBe('running');

    // Nothing serves the sync queue: a few seconds later the task has made no progress.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    stalled = await api.run(runId);
    expect(stalled.status).toBe('running');
    expect(stalled.tasks.sync?.state).toBe('running');
    expect(stalled.tasks.sync?.progress?.done ?? 0).toBe(0);
    expect((await standinState<EntitiesState>('entities')).syncs).toEqual([]);

    await startSyncWorker(syncQueue);
    const run = await api.waitForRun(runId);

    expect(run.status, JSON.stringify(run.tasks)).toBe('succeeded');
    const progress = run.tasks.sync?.progress;
    expect(progress).toMatchObject({ total: 18, done: 18, succeeded: 18, failed: 0 });
    expect(progress?.counters).toEqual({ added: 6, updated: 6, unchanged: 6 });
    const counted = Object.values(progress?.counters ?? {}).reduce((sum, n) => sum + n, 0);
    expect(counted).toBe(progress?.total);
    const slowest = progress?.slowest ?? [];
    expect(slowest).toHaveLength(5);
    expect(slowest.map((slow) => slow.ms)).toEqual(
      [...slowest.map((s) => s.ms)].sort((a, b) => b - a),
    );
    for (const slow of slowest) expect(slow.item).toMatch(/ENT-\d{4}/);
    expect(run.tasks.summarize?.state).toBe('succeeded');

    const { syncs } = await standinState<EntitiesState>('entities');
    expect(syncs).toHaveLength(18);

    const mails = (await messagesTo('data-team@example.com')).filter((message) =>
      message.text.includes(runId),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Entity sync: 18 of 18 entities');
    expect(mails[0]?.text).toContain('"added":6');
  });
});
