/**
 * The interpreter on the dev server with the real activities: joins and skips, ignored failures,
 * maxParallel, templating, output limits, the live query, retry-from-failure, sub-jobs, foreach
 * statistics and routing to task queues.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import type { RunResult } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import {
  planOf,
  queryView,
  resultOf,
  startRun,
  outputOf,
  startWorkers,
  statesOf,
  uniqueName,
  waitForView,
} from './support/harness';
import { declaring, httpTask, job } from './support/jobs';

const env = useTestEnvironment('interpreter', { workerIdentity: 'main' });

const url = (path: string): string => env.standIn.url(path);

async function run(jobDoc: unknown, extra: Parameters<typeof startRun>[2] = {}) {
  const handle = await startRun(env.harness.client, planOf(jobDoc, env.queue), extra);
  return { handle, result: await resultOf(handle) };
}

describe('joins, skips and ignored failures', () => {
  it('runs join any on one success, skips join all and what follows, ignores b', async () => {
    const { result } = await run(
      job(
        'joins',
        [
          httpTask('a', url('/t/joins/a')),
          httpTask('b', url('/t/joins/b?fail=99'), { ignoreFailure: true }),
          httpTask('any', url('/t/joins/any'), { join: 'any' }),
          httpTask('all', url('/t/joins/all')),
          httpTask('after', url('/t/joins/after')),
        ],
        [
          ['a', 'any'],
          ['b', 'any'],
          ['a', 'all'],
          ['b', 'all'],
          ['all', 'after'],
        ],
      ),
    );
    expect(result.status).toBe('succeeded');
    expect(statesOf(result)).toEqual({
      a: 'succeeded',
      b: 'failed',
      any: 'succeeded',
      all: 'skipped',
      after: 'skipped',
    });
    expect(result.tasks.b!.error).toMatch(/500/);
    expect(result.tasks.b!.attempts).toBe(1);
    expect(env.standIn.count('/t/joins/all') + env.standIn.count('/t/joins/after')).toBe(0);
  });
});

describe('maxParallel and the live query', () => {
  it('never runs more than maxParallel tasks, and the query shows them running', async () => {
    const before = env.standIn.maxActive;
    env.standIn.maxActive = 0;
    const tasks = Array.from({ length: 12 }, (_, i) =>
      httpTask(`p${i}`, url(`/t/mp/${i}?hold=mp`)),
    );
    const plan = planOf(job('parallel', tasks, [], { maxParallel: 3 }), env.queue);
    const handle = await startRun(env.harness.client, plan);
    await env.standIn.waitForHeld('mp');
    const view = await waitForView(
      handle,
      (v) => Object.values(v.tasks).filter((t) => t.state === 'running').length === 3,
    );
    expect(view.status).toBe('running');
    expect(Object.values(view.tasks).filter((t) => t.state === 'pending')).toHaveLength(9);
    expect(view.tasks.p0).toMatchObject({ state: 'running', attempts: 1 });
    expect(view.tasks.p0!.startedAt).toBeDefined();
    env.standIn.release('mp');
    const result = await resultOf(handle);
    expect(result.status).toBe('succeeded');
    expect(env.standIn.maxActive).toBeLessThanOrEqual(3);
    env.standIn.maxActive = Math.max(before, env.standIn.maxActive);
  });
});

describe('templating', () => {
  it('renders outputs, input and run fields into downstream params', async () => {
    const { result } = await run(
      declaring(
        job(
          'templating',
          [
            httpTask('a', url('/t/tpl/a')),
            httpTask('b', url('/t/{{ tasks.a.output.body.key }}-{{ input.suffix }}'), {
              params: {
                method: 'POST',
                url: url('/t/{{ tasks.a.output.body.key }}-{{ input.suffix }}'),
                body: { from: '{{ tasks.a.output.body }}', job: '{{ run.jobName }}' },
              },
            }),
          ],
          [['a', 'b']],
        ),
        { suffix: 'string' },
      ),
      { input: { suffix: 'b' } },
    );
    expect(result.status).toBe('succeeded');
    expect(env.standIn.count('/t/tpl/a-b')).toBe(1);
    const b = (await outputOf(env.harness.db, result, 'b')) as { body: { key: string } };
    expect(b.body.key).toBe('tpl/a-b');
    expect(result.tasks.b!.output).toMatchObject({ status: 200 });
  });

  it('fails a task whose template has no value, with a clear message, and notifies', async () => {
    const { handle, result } = await run(
      // Declared but not given: a run started without the API's input check meets it at run time.
      declaring(
        job('bad-template', [httpTask('a', url('/t/{{ input.missing }}'))], [], {
          notify: { on: 'failure', webhook: url('/t/notify/bad-template') },
        }),
        { missing: 'string' },
      ),
      { runUrl: 'https://batchgraph.example/runs/{{ run.id }}' },
    );
    expect(result.status).toBe('failed');
    expect(result.tasks.a).toMatchObject({ state: 'failed', attempts: 0 });
    expect(result.tasks.a!.error).toMatch(/Template error in params\.url: .*input\.missing/);
    expect(env.standIn.count('/t/notify/bad-template')).toBe(1);
    const description = await handle.describe();
    expect(description.status.name).toBe('FAILED');
  });
});

describe('outputs', () => {
  // Over-limit outputs: test/output-limit.test.ts.
  it('stores outputs outside the history, holding references and bounded summaries', async () => {
    const { handle, result } = await run(
      job('outputs', [
        httpTask('big', url('/t/out/big?bytes=300000')),
        httpTask('mid', url('/t/out/mid?bytes=20000')),
      ]),
    );
    expect(result.tasks.big!.state).toBe('succeeded');
    expect(result.tasks.mid!.state).toBe('succeeded');
    expect(result.tasks.mid!.output).toMatchObject({ truncated: true });
    expect(JSON.stringify(result.tasks.mid!.output).length).toBeLessThanOrEqual(4096);
    expect(JSON.stringify(result.outputs.mid).length).toBeLessThan(200);
    expect(JSON.stringify(await outputOf(env.harness.db, result, 'mid')).length).toBeGreaterThan(
      20000,
    );
    const big = (await outputOf(env.harness.db, result, 'big')) as { body: { pad: string } };
    expect(big.body.pad).toHaveLength(300000);
    // Nothing of the size of an output entered the history.
    const history = JSON.stringify((await handle.fetchHistory()).events);
    expect(history.length).toBeLessThan(100_000);
  });
});

describe('retry from failure', () => {
  it('reuses succeeded tasks without running them again', async () => {
    const name = uniqueName('reuse');
    const doc = job(
      'reuse',
      [
        httpTask('a', url(`/t/${name}/a`)),
        httpTask('b', url(`/t/${name}/b`)),
        httpTask('c', url(`/t/${name}/c?fail=1`)),
      ],
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
    );
    const first = await run(doc);
    expect(statesOf(first.result)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'failed' });
    const reuse = {
      a: { output: first.result.outputs.a },
      b: { output: first.result.outputs.b },
    };
    const retry = await run(doc, { trigger: 'retry', reuse, retryOf: first.handle.workflowId });
    expect(retry.result.status).toBe('succeeded');
    expect(retry.result.retryOf).toBe(first.handle.workflowId);
    expect(retry.result.tasks.a).toMatchObject({ state: 'succeeded', reused: true });
    expect(retry.result.tasks.c!.reused).toBeUndefined();
    expect(retry.result.outputs.b).toEqual(first.result.outputs.b);
    expect([`a`, `b`, `c`].map((id) => env.standIn.count(`/t/${name}/${id}`))).toEqual([1, 1, 2]);
  });
});

describe('sub-jobs', () => {
  it('runs the sub-job as a child run and passes its outputs on', async () => {
    const child = planOf(job('child', [httpTask('x', url('/t/sub/x'))]), env.queue, {
      jobId: 'child-job',
    });
    const failing = planOf(
      job('child-failing', [httpTask('y', url('/t/sub/y?fail=99'))]),
      env.queue,
    );
    const parent = planOf(
      job(
        'parent',
        [
          { id: 's', type: 'subjob', params: { jobId: 'child-job', input: { n: 1 } } },
          httpTask('t', url('/t/sub/{{ tasks.s.output.outputs.x.body.key }}-t')),
          { id: 'f', type: 'subjob', params: { jobId: 'child-failing' }, ignoreFailure: true },
        ],
        [['s', 't']],
      ),
      env.queue,
      { subplans: { s: child, f: failing } },
    );
    const handle = await startRun(env.harness.client, parent);
    const result = await resultOf(handle);
    expect(statesOf(result)).toEqual({ s: 'succeeded', t: 'succeeded', f: 'failed' });
    expect(env.standIn.count('/t/sub/sub/x-t')).toBe(1);
    expect(result.tasks.f!.error).toMatch(/Run failed: task y failed/);
    const childRun = await env.harness.client.workflow
      .getHandle(`${handle.workflowId}-s`)
      .describe();
    expect(childRun.status.name).toBe('COMPLETED');
    expect(childRun.searchAttributes).toMatchObject({
      BatchgraphTrigger: ['subjob'],
      BatchgraphJobId: ['child-job'],
    });
  });
});

describe('foreach', () => {
  it('runs 10,000 items whose statistics add up', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const { result } = await run(
      declaring(
        job('foreach', [
          {
            id: 'each',
            type: 'foreach',
            params: {
              items: '{{ input.items }}',
              task: { type: 'http', params: { method: 'GET', url: url('/item/{{ item }}') } },
              concurrency: 100,
              maxFailedPercent: 20,
            },
          },
        ]),
        { items: 'array' },
      ),
      { input: { items } },
    );
    expect(result.status).toBe('succeeded');
    const progress = result.tasks.each!.progress!;
    const multiplesOf7 = Math.floor(10_000 / 7);
    expect(progress).toMatchObject({
      total: 10_000,
      done: 10_000,
      failed: multiplesOf7,
      succeeded: 10_000 - multiplesOf7,
      skipped: 0,
      counters: { added: 5000 - 714, updated: 5000 - 714 },
    });
    expect(progress.slowest).toHaveLength(10);
    expect(progress.slowest[0]!.ms).toBeGreaterThanOrEqual(progress.slowest[9]!.ms);
    expect((result.outputs.each as { failures: unknown[] }).failures).toHaveLength(10);
  });

  it('fails when more items fail than allowed', async () => {
    const { result } = await run(
      job('foreach-failing', [
        {
          id: 'each',
          type: 'foreach',
          params: {
            items: Array.from({ length: 70 }, (_, i) => i + 1),
            task: { type: 'http', params: { url: url('/item/{{ item }}') } },
            maxFailedPercent: 5,
          },
        },
      ]),
    );
    expect(result.tasks.each!.state).toBe('failed');
    expect(result.tasks.each!.error).toMatch(/10 of 70 items failed, more than the 5% allowed/);
  });
});

describe('task queues', () => {
  it('routes each task to the workers of its queue', async () => {
    const other = uniqueName('wf-other');
    const group = await startWorkers(env.harness, env.bundle, {
      queues: [other],
      identity: 'other',
    });
    try {
      const { handle, result } = await run(
        job('routing', [
          httpTask('here', url('/t/route/here')),
          httpTask('there', url('/t/route/there'), { taskQueue: other }),
        ]),
      );
      expect(result.status).toBe('succeeded');
      const ranBy = activityWorkers(await handle.fetchHistory());
      expect(ranBy).toEqual({ here: `main@${env.queue}`, there: `other@${other}` });
    } finally {
      await group.stop();
    }
  });
});

describe('the query after the run', () => {
  it('returns the final view', async () => {
    const { handle, result } = await run(job('query', [httpTask('a', url('/t/query/a'))]));
    const view = await queryView(handle);
    expect(view).toEqual(withoutOutputs(result));
  });
});

describe('Temporal UI reads like the graph', () => {
  it('names each activity and delay timer after its task', async () => {
    const { handle, result } = await run(
      job(
        'summaries',
        [
          { ...httpTask('fetch', url('/t/summaries/fetch')), name: 'Fetch the accounts' },
          { id: 'pause', type: 'delay', params: { seconds: 1 }, name: 'Let the IAM settle' },
        ],
        [['fetch', 'pause', 'success']],
      ),
    );
    expect(result.status).toBe('succeeded');
    const summaries = await eventSummaries(await handle.fetchHistory());
    expect(summaries).toEqual([
      { event: 'activity fetch', summary: 'Fetch the accounts' },
      { event: 'timer', summary: 'Let the IAM settle' },
    ]);
  });
});

/** The user-metadata summaries of the activities and timers the run scheduled, in order. */
async function eventSummaries(history: History) {
  const converter = env.harness.client.options.loadedDataConverter;
  const found: { event: string; summary: unknown }[] = [];
  for (const event of history.events ?? []) {
    const payload = event.userMetadata?.summary;
    const activity = event.activityTaskScheduledEventAttributes;
    const kind = activity
      ? `activity ${activity.activityId}`
      : event.timerStartedEventAttributes
        ? 'timer'
        : undefined;
    if (!kind || !payload) continue;
    const [decoded] = await converter.payloadCodecs.reduceRight(
      async (payloads, codec) => codec.decode(await payloads),
      Promise.resolve([payload]),
    );
    found.push({ event: kind, summary: converter.payloadConverter.fromPayload(decoded!) });
  }
  return found;
}

function withoutOutputs(result: RunResult): Omit<RunResult, 'outputs'> {
  const { outputs: _outputs, ...view } = result;
  return view;
}

/** Activity id → identity of the worker that started it, read from the run's history. */
function activityWorkers(history: History): Record<string, string> {
  const scheduled = new Map<string, string>();
  const ranBy: Record<string, string> = {};
  for (const event of history.events ?? []) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes) scheduled.set(String(event.eventId), attributes.activityId ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      ranBy[scheduled.get(String(started.scheduledEventId))!] = started.identity ?? '';
    }
  }
  return ranBy;
}
