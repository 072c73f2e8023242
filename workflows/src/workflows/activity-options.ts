/** Temporal activity options of a plan task: its retry policy, timeout and task queue. */
import type { PlanTask } from '@batchgraph/engine';
import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { HEARTBEAT_TIMEOUT_MS } from './limits';
import { HEARTBEAT_TIMEOUT_ERROR_TYPE } from './worker-loss';

export function activityOptions(task: PlanTask, activityId: string): ActivityOptions {
  const { retry } = task;
  return {
    activityId,
    // Temporal UI shows the task's name beside its id (activity id = task id).
    summary: task.name,
    taskQueue: task.taskQueue,
    startToCloseTimeout: task.timeoutMs,
    // A cancelled run ends only once its activities have stopped (they learn of it by heartbeat).
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // Every attempt heartbeats (the worker's activity interceptor), so a lost worker is noticed
    // within seconds; it costs none of the task's retries (worker-loss.ts).
    heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: Math.max(retry.maximumIntervalMs, retry.initialIntervalMs),
      nonRetryableErrorTypes: [HEARTBEAT_TIMEOUT_ERROR_TYPE],
    },
  };
}
