/**
 * Every shared semantics case, end to end: the interpreter on the dev server with the real `http`
 * activity against a stand-in that fails the case's first N requests per task.
 */
import { simulate } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { loadCases, withHttpTasks } from './support/cases';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun, statesOf } from './support/harness';

const cases = loadCases();

const env = useTestEnvironment('semantics');

describe('semantics cases on Temporal', () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (name, testCase) => {
      const job = withHttpTasks(testCase, (path) => env.standIn.url(path), name);
      const plan = planOf(job, env.queue);
      const result = await resultOf(await startRun(env.harness.client, plan));

      expect(result.status).toBe(testCase.expect.outcome);
      expect(statesOf(result)).toEqual(testCase.expect.tasks);
      // Each task was called exactly as often as the simulator says it attempts.
      const simulated = simulate(plan, testCase.fail);
      for (const task of plan.tasks) {
        const ran = simulated.tasks[task.id]!.state === 'skipped' ? 0 : simulated.tasks[task.id]!;
        expect(env.standIn.count(`/t/${name}/${task.id}`), task.id).toBe(
          ran === 0 ? 0 : ran.attempts,
        );
        // …and the run view counts those attempts exactly.
        if (ran !== 0) expect(result.tasks[task.id]!.attempts, task.id).toBe(ran.attempts);
      }
    },
  );
});
