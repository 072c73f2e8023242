/**
 * Replay: histories of real runs, and the recorded fixtures in test/histories/, replay through the
 * current interpreter without a determinism error. A change that breaks a fixture needs `patched()`
 * (README.md). `RECORD_HISTORIES=1` rewrites the fixtures from this run's histories;
 * `RECORD_HISTORIES=<name>` adds them as `<fixture>-<name>.json`, keeping the older ones.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun, waitForView } from './support/harness';
import { httpTask, job } from './support/jobs';

const fixturesDir = fileURLToPath(new URL('./histories', import.meta.url));

const env = useTestEnvironment('replay');

type History = temporal.api.history.v1.IHistory;
const { History } = temporal.api.history.v1;

interface Recorded {
  workflowId: string;
  history: History;
}

/**
 * A fixture: the history in protobuf's binary form, base64. (The SDK's JSON helpers use a second
 * protobufjs copy in this install that rejects the client's History objects.)
 */
interface Fixture {
  workflowId: string;
  history: string;
}

function toFixture({ workflowId, history }: Recorded): Fixture {
  return { workflowId, history: Buffer.from(History.encode(history).finish()).toString('base64') };
}

function fromFixture({ workflowId, history }: Fixture): Recorded {
  return { workflowId, history: History.decode(Buffer.from(history, 'base64')) };
}

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
  runs.push({ name: 'replay-reuse', handle: reuse }, { name: 'replay-cancel', handle: cancel });
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
    expect(recorded).toHaveLength(6);
    // Through the fixture format, so that a recorded fixture is known to replay.
    expect(await replay(recorded.map((run) => fromFixture(toFixture(run))))).toEqual([]);
    const record = process.env.RECORD_HISTORIES;
    if (record) {
      const suffix = record === '1' ? '' : `-${record}`;
      for (const run of recorded) {
        const file = `${fixturesDir}/${run.name}${suffix}.json`;
        writeFileSync(file, `${JSON.stringify(toFixture(run))}\n`);
      }
    }
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
