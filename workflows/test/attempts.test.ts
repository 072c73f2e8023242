/**
 * Attempt counts in the run view are exact: the worker reports which attempt produced a result or
 * a final failure (activity-interceptors.ts ⇄ workflows/interceptors.ts), while outputs stay what
 * the activity returned.
 */
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { outputOf, planOf, resultOf, startRun } from './support/harness';
import { httpTask, job } from './support/jobs';

const env = useTestEnvironment('attempts');

const quickRetries = { retries: 4, retryBackoff: { initialSeconds: 0.1, coefficient: 1 } };

describe('attempt counts', () => {
  it('counts every attempt of a task that fails twice, then succeeds', async () => {
    const url = (path: string): string => env.standIn.url(path);
    const plan = planOf(
      job(
        'attempts',
        [
          httpTask('flaky', url('/t/att/flaky?fail=2'), quickRetries),
          httpTask('steady', url('/t/att/steady')),
          httpTask('after', url('/t/att/after-{{ tasks.flaky.output.body.count }}')),
        ],
        [['flaky', 'after']],
      ),
      env.queue,
    );
    const result = await resultOf(await startRun(env.harness.client, plan));

    expect(result.status).toBe('succeeded');
    expect(result.tasks.flaky).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(result.tasks.steady).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(env.standIn.count('/t/att/flaky')).toBe(3);
    // The output is the activity's own, not the envelope the attempt travelled in.
    expect(await outputOf(env.harness.db, result, 'flaky')).toMatchObject({
      status: 200,
      body: { key: 'att/flaky', count: 3 },
    });
    expect(env.standIn.count('/t/att/after-3')).toBe(1);
  });

  it('counts the attempts of a task that ends on a final error after a retry', async () => {
    const plan = planOf(
      job('final-after-retry', [
        httpTask('gone', env.standIn.url('/t/att/gone?fail=1&then=404'), quickRetries),
      ]),
      env.queue,
    );
    const result = await resultOf(await startRun(env.harness.client, plan));

    expect(result.status).toBe('failed');
    expect(result.tasks.gone).toMatchObject({ state: 'failed', attempts: 2 });
    expect(result.tasks.gone!.error).toMatch(/404/);
    expect(env.standIn.count('/t/att/gone')).toBe(2);
  });
});
