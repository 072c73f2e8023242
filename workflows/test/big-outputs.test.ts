/**
 * Claim-check with big outputs: ten http tasks answering 5 MB each (each one more than Temporal's
 * 2 MB payload limit) complete; a task downstream templates from all ten, which its activity
 * loads from the store; and the outputs read back whole.
 */
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { outputOf, planOf, resultOf, startRun } from './support/harness';
import { httpTask, job, type TestTask } from './support/jobs';

const env = useTestEnvironment('big-outputs');

describe('ten 5 MB outputs', () => {
  it('complete, feed a downstream template and read back whole', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `big${i}`);
    const bytes = 5 * 1024 * 1024;
    const tasks: TestTask[] = ids.map((id) =>
      httpTask(id, env.standIn.url(`/t/big-out/${id}?bytes=${bytes}`)),
    );
    const keys = ids.map((id) => `{{ tasks.${id}.output.body.count }}`).join('');
    tasks.push(httpTask('after', env.standIn.url(`/t/big-out/after-${keys}`)));
    const plan = planOf(
      job(
        'big-outputs',
        tasks,
        ids.map((id): [string, string] => [id, 'after']),
      ),
      env.queue,
    );
    const handle = await startRun(env.harness.client, plan);
    const result = await resultOf(handle);

    expect(result.status).toBe('succeeded');
    expect(env.standIn.count(`/t/big-out/after-${'1'.repeat(10)}`)).toBe(1);
    for (const id of [ids[0]!, ids[9]!]) {
      const output = (await outputOf(env.harness.db, result, id)) as { body: { pad: string } };
      expect(output.body.pad).toHaveLength(bytes);
    }
    expect(result.tasks.big3!.output).toMatchObject({ truncated: true, bytes: expect.any(Number) });
    const history = JSON.stringify((await handle.fetchHistory()).events);
    expect(history.length).toBeLessThan(200_000);
  });
});
