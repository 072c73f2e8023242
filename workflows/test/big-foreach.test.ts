/**
 * A foreach over 100,000 items completes: 200 chunk activities, so the history stays small.
 * The per-item work is one HTTP request to the stand-in.
 */
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun } from './support/harness';
import { declaring, job } from './support/jobs';

const env = useTestEnvironment('big-foreach');

describe('big foreach', () => {
  it('runs a foreach over 100,000 items', async () => {
    const total = 100_000;
    const plan = planOf(
      declaring(
        job('huge-foreach', [
          {
            id: 'each',
            type: 'foreach',
            params: {
              items: '{{ input.items }}',
              task: { type: 'http', params: { url: env.standIn.url('/item/{{ item }}') } },
              concurrency: 400,
              maxFailedPercent: 20,
            },
          },
        ]),
        { items: 'array' },
      ),
      env.queue,
    );
    const items = Array.from({ length: total }, (_, i) => i + 1);
    const handle = await startRun(env.harness.client, plan, { input: { items } });
    const result = await resultOf(handle);

    expect(result.status).toBe('succeeded');
    const failed = Math.floor(total / 7);
    expect(result.tasks.each!.progress).toMatchObject({
      total,
      done: total,
      failed,
      succeeded: total - failed,
    });
    const { counters } = result.tasks.each!.progress!;
    expect((counters.added ?? 0) + (counters.updated ?? 0)).toBe(total - failed);
  });
});
