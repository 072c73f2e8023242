/**
 * Replay: histories of real runs, and the recorded fixtures in test/histories/, replay through the
 * current interpreter without a determinism error. A change that breaks a fixture needs `patched()`
 * (README.md). RECORD_HISTORIES records fixtures (support/histories.ts); worker-loss.test.ts records
 * the re-dispatch shapes, which need a worker process killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { itemsHash } from '../src/workflows/foreach-redrive';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun, waitForView } from './support/harness';
import {
  fixturesDir,
  fromFixture,
  recordFixture,
  toFixture,
  type Fixture,
  type History,
  type Recorded,
} from './support/histories';
import { httpTask, job } from './support/jobs';

const env = useTestEnvironment('replay');

async function replay(histories: Recorded[]): Promise<string[]> {
  const errors: string[] = [];
  const options = { workflowBundle: env.bundle, replayName: 'batchgraph-replay-test' };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) errors.push(`${result.workflowId}: ${result.error.message}`);
  }
  return errors;
}

/** A handful of runs that together use every command the interpreter emits. */
async function recordRuns(): Promise<{ name: string; workflowId: string; history: History }[]> {
  const queue = env.queue;
  const url = (path: string): string => env.standIn.url(path);
  const graph = planOf(
    job(
      'replay-graph',
      [
        httpTask('a', url('/t/replay/a')),
        httpTask('b', url('/t/replay/b?fail=99'), { ignoreFailure: true }),
        { id: 'wait', type: 'delay', params: { seconds: 1 } },
        httpTask('c', url('/t/replay/{{ tasks.a.output.body.count }}'), { join: 'any' }),
        httpTask('d', url('/t/replay/d')),
        httpTask('r', url('/t/replay/r?fail=1'), {
          retries: 2,
          retryBackoff: { initialSeconds: 0.1, coefficient: 1 },
        }),
      ],
      [
        ['a', 'wait'],
        ['wait', 'c'],
        ['b', 'c'],
        ['b', 'd'],
      ],
      { notify: { on: 'always', webhook: url('/t/replay/notify') } },
    ),
    queue,
  );
  const foreach = planOf(
    job('replay-foreach', [
      {
        id: 'each',
        type: 'foreach',
        params: {
          items: Array.from({ length: 1200 }, (_, i) => i + 1),
          task: { type: 'http', params: { url: url('/item/{{ item }}') } },
          concurrency: 50,
          maxFailedPercent: 50,
        },
      },
    ]),
    queue,
  );
  const child = planOf(job('replay-child', [httpTask('x', url('/t/replay/x'))]), queue);
  const parent = planOf(
    job('replay-parent', [{ id: 's', type: 'subjob', params: { jobId: 'child' } }]),
    queue,
    { subplans: { s: child } },
  );
  // The claim-check's own shapes: items stored by the items activity, a sub-job input rendered by
  // an activity, and a stored output above Temporal's payload limit.
  const claimCheck = planOf(
    job(
      'replay-data',
      [
        httpTask('src', url('/t/replay/src?bytes=300000')),
        {
          id: 'wait',
          type: 'delay',
          params: { seconds: 1 },
        },
        {
          id: 'each',
          type: 'foreach',
          params: {
            items: { http: { url: url('/list/30') }, path: 'items' },
            task: { type: 'http', params: { url: url('/item/{{ item }}') } },
            maxFailedPercent: 50,
          },
        },
        {
          id: 'sub',
          type: 'subjob',
          params: { jobId: 'child', input: { n: '{{ tasks.src.output.body.count }}' } },
        },
      ],
      [
        ['src', 'wait'],
        ['src', 'sub'],
      ],
    ),
    queue,
    { subplans: { sub: child } },
  );
  const cancelled = planOf(
    job(
      'replay-cancel',
      [httpTask('held', url('/t/replay/held?hold=replay')), httpTask('next', url('/t/replay/n'))],
      [['held', 'next']],
    ),
    queue,
  );

  const runs = await Promise.all(
    [graph, foreach, parent, claimCheck].map(async (plan) => {
      const handle = await startRun(env.harness.client, plan);
      await resultOf(handle);
      return { name: plan.job.name, handle };
    }),
  );
  const reuse = await startRun(env.harness.client, graph, {
    trigger: 'retry',
    reuse: { a: { output: { status: 200, headers: {}, body: { count: 7 } } } },
  });
  await resultOf(reuse);
  const cancel = await startRun(env.harness.client, cancelled);
  await env.standIn.waitForHeld('replay');
  await waitForView(cancel, (view) => view.tasks.held!.state === 'running');
  await cancel.cancel();
  await cancel.result().catch(() => undefined);
  // A retry from failure: reused tasks, keys of the first run, and a foreach redrive.
  const items = Array.from({ length: 30 }, (_, i) => i + 1);
  const retried = planOf(
    job(
      'replay-retry',
      [
        httpTask('a', url('/t/replay/retry-a')),
        {
          id: 'each',
          type: 'foreach',
          params: { items, task: { type: 'http', params: { url: url('/t/replay/i{{ item }}') } } },
        },
        httpTask('after', url('/t/replay/retry-after')),
      ],
      [
        ['a', 'each'],
        ['each', 'after', 'always'],
      ],
    ),
    queue,
  );
  const retry = await startRun(env.harness.client, retried, {
    trigger: 'retry',
    retryOf: 'replay-failed-run',
    retryRoot: 'replay-failed-run',
    retriedBy: { id: 'u-operator', name: 'Operator' },
    reuse: { a: { output: { status: 200, headers: {}, body: {} } } },
    redrive: {
      each: {
        itemsHash: itemsHash(items),
        total: items.length,
        todo: [
          [2, 4],
          [20, 20],
        ],
        succeeded: 26,
        counters: {},
      },
    },
  });
  await resultOf(retry);
  runs.push(
    { name: 'replay-reuse', handle: reuse },
    { name: 'replay-cancel', handle: cancel },
    { name: 'replay-retry', handle: retry },
  );
  return Promise.all(
    runs.map(async ({ name, handle }) => ({
      name,
      workflowId: handle.workflowId,
      history: await handle.fetchHistory(),
    })),
  );
}

describe('replay', () => {
  it('replays the histories of fresh runs', async () => {
    const recorded = await recordRuns();
    expect(recorded).toHaveLength(7);
    // Through the fixture format, so that a recorded fixture is known to replay.
    expect(await replay(recorded.map((run) => fromFixture(toFixture(run))))).toEqual([]);
    for (const run of recorded) recordFixture(run.name, run);
  });

  it('replays the recorded fixtures', async () => {
    const files = readdirSync(fixturesDir).filter((file) => file.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const fixtures = files.map((file) =>
      fromFixture(JSON.parse(readFileSync(`${fixturesDir}/${file}`, 'utf8')) as Fixture),
    );
    expect(await replay(fixtures)).toEqual([]);
  });
});
