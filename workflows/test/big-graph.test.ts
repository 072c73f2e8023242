/** A graph past Temporal's history limits: 5,000 tasks complete through continue-as-new. */
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun } from './support/harness';
import { job, type TestTask } from './support/jobs';

const env = useTestEnvironment('big-graph');

describe('big graphs', () => {
  it('runs 5,000 tasks by continuing as new', async () => {
    const layers = 50;
    const width = 100;
    const tasks: TestTask[] = [];
    const edges: [string, string][] = [];
    for (let layer = 0; layer < layers; layer++) {
      for (let i = 0; i < width; i++) {
        tasks.push({ id: `t${layer}_${i}`, type: 'delay', params: { seconds: 0 } });
        if (layer > 0) edges.push([`t${layer - 1}_${i}`, `t${layer}_${i}`]);
      }
    }
    // One task per layer calls out, so activities cross the continue-as-new boundaries too.
    for (let layer = 0; layer < layers; layer++) {
      tasks[layer * width] = {
        id: `t${layer}_0`,
        type: 'http',
        params: { url: env.standIn.url(`/t/big/${layer}`) },
      };
    }
    const plan = planOf(job('big', tasks, edges, { maxParallel: 200 }), env.queue);
    const handle = await startRun(env.harness.client, plan);
    const result = await resultOf(handle);

    expect(result.status).toBe('succeeded');
    const states = Object.values(result.tasks).map((task) => task.state);
    expect(states).toHaveLength(5000);
    expect(states.every((state) => state === 'succeeded')).toBe(true);
    expect(Object.keys(result.outputs)).toContain('t49_0');
    const latest = await handle.describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    for (let layer = 0; layer < layers; layer++)
      expect(env.standIn.count(`/t/big/${layer}`)).toBe(1);
  });
});
