/**
 * Claim-check at scale: 5,000 http tasks with 10 KB outputs each (50 MB in all) complete through
 * continue-as-new; the view's summaries shrink with the plan's size so the query, the result and
 * the continue-as-new input stay small, and a sample of outputs reads back whole from the store.
 */
import { summaryBytes } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { outputOf, planOf, resultOf, startRun } from './support/harness';
import { httpTask, job, type TestTask } from './support/jobs';

const env = useTestEnvironment('many-outputs');

describe('5,000 tasks with 10 KB outputs', () => {
  it('complete, and their outputs read back', async () => {
    const width = 100;
    const layers = 50;
    const tasks: TestTask[] = [];
    const edges: [string, string][] = [];
    for (let layer = 0; layer < layers; layer++) {
      for (let i = 0; i < width; i++) {
        tasks.push(
          httpTask(`t${layer}_${i}`, env.standIn.url(`/t/many/${layer}_${i}?bytes=10000`)),
        );
        if (layer > 0) edges.push([`t${layer - 1}_${i}`, `t${layer}_${i}`]);
      }
    }
    const plan = planOf(job('many-outputs', tasks, edges, { maxParallel: 200 }), env.queue);
    const handle = await startRun(env.harness.client, plan);
    const result = await resultOf(handle);

    expect(result.status).toBe('succeeded');
    expect(Object.values(result.tasks).every((task) => task.state === 'succeeded')).toBe(true);
    expect(JSON.stringify(result).length).toBeLessThan(2 * 1024 * 1024);
    for (const id of ['t0_0', 't25_50', 't49_99']) {
      const output = (await outputOf(env.harness.db, result, id)) as { body: { pad: string } };
      expect(output.body.pad).toHaveLength(10000);
      expect(JSON.stringify(result.tasks[id]!.output).length).toBeLessThanOrEqual(
        summaryBytes(5000),
      );
    }
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
  });
});
