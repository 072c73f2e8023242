/**
 * Hand-written Temporal workflows for the interpreter benchmark (bench/interpreter.ts): the same
 * graphs the interpreter runs, coded directly, calling the same activity with the same ids and
 * options. Bundled on their own; never registered by the product's worker.
 */
import type { Activities } from '@batchgraph/activities';
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';

function call(id: string): Promise<unknown> {
  const { http } = proxyActivities<Activities>({
    activityId: id,
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '1 minute',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { maximumAttempts: 1 },
  });
  return http({
    runId: 'bench',
    taskId: id,
    startedBy: { id: 'bench', name: 'bench' },
    params: { method: 'GET', url: `http://127.0.0.1/${id}` },
  });
}

export async function chain(length: number): Promise<void> {
  for (let i = 0; i < length; i++) await call(`c${i}`);
}

export async function fanOutIn(width: number): Promise<void> {
  await call('start');
  await Promise.all(Array.from({ length: width }, (_, i) => call(`f${i}`)));
  await call('end');
}

export async function layered(layers: number, width: number): Promise<void> {
  for (let layer = 0; layer < layers; layer++) {
    await Promise.all(Array.from({ length: width }, (_, i) => call(`l${layer}_${i}`)));
  }
}
