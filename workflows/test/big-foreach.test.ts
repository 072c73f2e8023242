/**
 * A foreach over 100,000 items completes: 200 chunk activities, so the history stays small.
 * The per-item work is one HTTP request to the stand-in.
 */
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInterpreter } from '../src/bundle';
import {
  connect,
  planOf,
  resultOf,
  startRun,
  startWorkers,
  type Harness,
  type WorkerGroup,
} from './support/harness';
import { job } from './support/jobs';
import { StandIn } from './support/stand-in';

let harness: Harness;
let bundle: WorkflowBundle;
let workers: WorkerGroup;
let standIn: StandIn;

beforeAll(async () => {
  [harness, bundle, standIn] = await Promise.all([
    connect('big-foreach'),
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

describe('big foreach', () => {
  it('runs a foreach over 100,000 items', async () => {
    const total = 100_000;
    const plan = planOf(
      job('huge-foreach', [
        {
          id: 'each',
          type: 'foreach',
          params: {
            items: '{{ input.items }}',
            task: { type: 'http', params: { url: standIn.url('/item/{{ item }}') } },
            concurrency: 400,
            maxFailedPercent: 20,
          },
        },
      ]),
      harness.config.BATCHGRAPH_TASK_QUEUE,
    );
    const items = Array.from({ length: total }, (_, i) => i + 1);
    const handle = await startRun(harness.client, plan, { input: { items } });
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
