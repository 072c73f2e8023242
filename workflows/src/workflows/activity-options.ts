/** Temporal activity options of a plan task: its retry policy, timeout and task queue. */
import type { PlanTask } from '@batchgraph/engine';
import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { HEARTBEAT_AFTER_MS, HEARTBEAT_TIMEOUT_MS } from './limits';

export function activityOptions(task: PlanTask, activityId: string): ActivityOptions {
  const { retry } = task;
  return {
    activityId,
    taskQueue: task.taskQueue,
    startToCloseTimeout: task.timeoutMs,
    // A cancelled run ends only once its activities have stopped (they learn of it by heartbeat).
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // Long attempts must heartbeat, so a lost worker costs a minute, not the whole timeout.
    ...(task.timeoutMs > HEARTBEAT_AFTER_MS ? { heartbeatTimeout: HEARTBEAT_TIMEOUT_MS } : {}),
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: Math.max(retry.maximumIntervalMs, retry.initialIntervalMs),
    },
  };
}
