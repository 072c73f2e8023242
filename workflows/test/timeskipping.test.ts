/**
 * What takes time, under the time-skipping test server: retries with backoff, timeouts,
 * cancellation mid-run and a three-day delay. Real activities against the HTTP stand-in.
 */
import { CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { planOf, queryView, resultOf, startRun, statesOf, waitForView } from './support/harness';
import { httpTask, job } from './support/jobs';

const env = useTestEnvironment('timeskipping', { server: 'time-skipping' });

const url = (path: string): string => env.standIn.url(path);

function start(doc: unknown) {
  const plan = planOf(doc, env.queue);
  return startRun(env.harness.client, plan, { searchAttributes: false });
}

describe('retries', () => {
  it('retries with backoff until an attempt succeeds, or fails after the last', async () => {
    const backoff = { initialSeconds: 600, coefficient: 2 };
    const handle = await start(
      job('retries', [
        httpTask('recovers', url('/t/retry/recovers?fail=2'), {
          retries: 3,
          retryBackoff: backoff,
        }),
        httpTask('exhausts', url('/t/retry/exhausts?fail=99'), {
          retries: 2,
          retryBackoff: backoff,
        }),
      ]),
    );
    const result = await resultOf(handle);
    expect(statesOf(result)).toEqual({ recovers: 'succeeded', exhausts: 'failed' });
    expect(env.standIn.count('/t/retry/recovers')).toBe(3);
    expect(env.standIn.count('/t/retry/exhausts')).toBe(3);
    expect(result.tasks.exhausts!.attempts).toBe(3);
    expect(result.tasks.recovers!.attempts).toBe(3);
    // Backoff waits 10 minutes, then 20: the workflow clock shows them.
    const { startedAt, endedAt } = result.tasks.exhausts!;
    expect(Date.parse(endedAt!) - Date.parse(startedAt!)).toBeGreaterThanOrEqual(30 * 60_000);
  });
});

describe('timeouts', () => {
  it('fails an attempt that runs past the task timeout', async () => {
    const handle = await start(
      job(
        'timeouts',
        [
          httpTask('slow', url('/t/timeout/slow?hold=never'), { timeoutSeconds: 2 }),
          httpTask('after', url('/t/timeout/after')),
        ],
        [['slow', 'after', 'failure']],
      ),
    );
    const result = await resultOf(handle);
    expect(statesOf(result)).toEqual({ slow: 'failed', after: 'succeeded' });
    expect(result.tasks.slow!.error).toMatch(/time/i);
  });
});

describe('cancellation', () => {
  it('cancels running tasks, skips pending ones and ends Cancelled', async () => {
    const handle = await start(
      job(
        'cancel',
        [
          httpTask('running', url('/t/cancel/running?hold=cancel')),
          httpTask('pending', url('/t/cancel/pending')),
        ],
        [['running', 'pending']],
      ),
    );
    await env.standIn.waitForHeld('cancel');
    await waitForView(handle, (view) => view.tasks.running!.state === 'running');
    await handle.cancel();
    const error = await handle.result().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const view = await queryView(handle);
    expect(view.status).toBe('cancelled');
    expect(statesOf(view)).toEqual({ running: 'cancelled', pending: 'skipped' });
    expect(view.tasks.running!.endedAt).toBeDefined();
    expect(env.standIn.count('/t/cancel/pending')).toBe(0);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });
});

describe('delays', () => {
  it('waits three days on a durable timer', async () => {
    const handle = await start(
      job(
        'delay',
        [
          { id: 'wait', type: 'delay', params: { seconds: 3 * 24 * 3600 } },
          httpTask('then', url('/t/delay/then')),
        ],
        [['wait', 'then']],
      ),
    );
    const result = await resultOf(handle);
    expect(statesOf(result)).toEqual({ wait: 'succeeded', then: 'succeeded' });
    const { startedAt, endedAt } = result.tasks.wait!;
    expect(Date.parse(endedAt!) - Date.parse(startedAt!)).toBeGreaterThanOrEqual(3 * 86_400_000);
  });
});
