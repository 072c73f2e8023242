/**
 * Every shared semantics case, end to end: the interpreter on the dev server with the real `http`
 * activity against a stand-in that fails the case's first N requests per task.
 */
import { simulate } from '@batchgraph/engine';
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInterpreter } from '../src/bundle';
import { loadCases, withHttpTasks } from './support/cases';
import {
  connect,
  planOf,
  resultOf,
  startRun,
  startWorkers,
  statesOf,
  type Harness,
  type WorkerGroup,
} from './support/harness';
import { StandIn } from './support/stand-in';

const cases = loadCases();
let harness: Harness;
let bundle: WorkflowBundle;
let workers: WorkerGroup;
let standIn: StandIn;

beforeAll(async () => {
  [harness, bundle, standIn] = await Promise.all([
    connect('semantics'),
    bundleInterpreter(),
    StandIn.start(),
  ]);
  workers = await startWorkers(harness, bundle);
});

afterAll(async () => {
  await workers?.stop();
  await standIn?.close();
  await harness?.close();
});

describe('semantics cases on Temporal', () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (name, testCase) => {
      const job = withHttpTasks(testCase, (path) => standIn.url(path), name);
      const plan = planOf(job, harness.config.BATCHGRAPH_TASK_QUEUE);
      const result = await resultOf(await startRun(harness.client, plan));

      expect(result.status).toBe(testCase.expect.outcome);
      expect(statesOf(result)).toEqual(testCase.expect.tasks);
      // Each task was called exactly as often as the simulator says it attempts.
      const simulated = simulate(plan, testCase.fail);
      for (const task of plan.tasks) {
        const ran = simulated.tasks[task.id]!.state === 'skipped' ? 0 : simulated.tasks[task.id]!;
        expect(standIn.count(`/t/${name}/${task.id}`), task.id).toBe(ran === 0 ? 0 : ran.attempts);
        // …and the run view counts those attempts exactly.
        if (ran !== 0) expect(result.tasks[task.id]!.attempts, task.id).toBe(ran.attempts);
      }
    },
  );
});
