/**
 * Claim-check, the case that used to stick runs: twelve http tasks in a chain, each answering
 * about 240 KB and each templating its URL from the previous task's output. With outputs in the
 * workflow's state that was ~3 MB of result and continue-as-new input; now the run completes,
 * its history stays small and every output reads back whole from the store.
 */
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { outputOf, planOf, resultOf, startRun, statesOf } from './support/harness';
import { httpTask, job, type TestTask } from './support/jobs';

const env = useTestEnvironment('chain-outputs');

describe('a chain of 240 KB outputs', () => {
  it('completes, keeps the history small and reads every output back', async () => {
    const count = 12;
    const tasks: TestTask[] = Array.from({ length: count }, (_, i) =>
      httpTask(
        `s${i}`,
        i === 0
          ? env.standIn.url('/t/chain/0?bytes=240000')
          : // The previous output's `count` (1) is read from the store by the activity.
            env.standIn.url(`/t/chain/${i}-{{ tasks.s${i - 1}.output.body.count }}?bytes=240000`),
      ),
    );
    const edges = tasks.slice(1).map((task, i): [string, string] => [`s${i}`, task.id]);
    const handle = await startRun(
      env.harness.client,
      planOf(job('chain', tasks, edges), env.queue),
    );
    const result = await resultOf(handle);

    expect(result.status).toBe('succeeded');
    expect(Object.values(statesOf(result))).toEqual(Array(count).fill('succeeded'));
    for (let i = 1; i < count; i++) expect(env.standIn.count(`/t/chain/${i}-1`)).toBe(1);
    for (let i = 0; i < count; i++) {
      const output = (await outputOf(env.harness.db, result, `s${i}`)) as {
        body: { pad: string };
      };
      expect(output.body.pad).toHaveLength(240000);
      expect(result.tasks[`s${i}`]!.output).toMatchObject({ truncated: true });
      // Stored under the attempt that produced it.
      expect(result.outputs[`s${i}`]).toMatchObject({ outputRef: { taskId: `s${i}`, attempt: 1 } });
    }
    const history = JSON.stringify((await handle.fetchHistory()).events);
    expect(history.length).toBeLessThan(200_000);
  });
});
