/**
 * Worker loss is not task failure (DESIGN.md, "Worker loss"). Every attempt heartbeats (the
 * worker's activity interceptor) and has a short heartbeat timeout; a heartbeat timeout is
 * non-retryable in the activity's RetryPolicy, so it never uses one of the task's retries. The
 * workflow's outbound interceptor then schedules the activity again under the same activity id
 * (Temporal allows it once the lost one has closed), numbering its attempts on from the lost one,
 * until the task has lost its worker MAX_LOST_WORKERS times in a row. A start-to-close timeout is
 * the task's own and stays retryable.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
  type RetryPolicy,
} from '@temporalio/common';
import { attemptDetail, openHeartbeat } from './activity-headers';

/** A task that loses its worker this many times in a row fails. */
export const MAX_LOST_WORKERS = 5;

/** How Temporal names a heartbeat timeout in `nonRetryableErrorTypes`. */
export const HEARTBEAT_TIMEOUT_ERROR_TYPE = 'TemporalTimeout:Heartbeat';

/** Guards the re-dispatch: runs recorded before it failed the task at a heartbeat timeout. */
export const REDISPATCH_PATCH = 'redispatch-after-worker-loss';

export interface LostAttempt {
  /** The attempt that lost its worker, when its heartbeats said (absolute, across re-dispatches). */
  attempt?: number;
  /** Its last heartbeat details of its own, for the attempt that replaces it. */
  details: unknown;
}

/** The attempt whose worker stopped heartbeating, if that is why the activity failed. */
export function lostAttempt(error: unknown): LostAttempt | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const cause = error.cause;
  if (!(cause instanceof TimeoutFailure) || cause.timeoutType !== TimeoutType.HEARTBEAT) {
    return undefined;
  }
  return openHeartbeat(cause.lastHeartbeatDetails);
}

/** The retry policy of the re-dispatched activity: the attempts the task has left. */
export function remainingRetry(retry: RetryPolicy | undefined, used: number): RetryPolicy {
  const maximumAttempts = retry?.maximumAttempts;
  return {
    ...retry,
    ...(maximumAttempts ? { maximumAttempts: Math.max(1, maximumAttempts - used) } : {}),
  };
}

/** The task's failure once it lost its worker MAX_LOST_WORKERS times in a row. */
export function lostTooOften(lost: ActivityFailure, attempt: number): ActivityFailure {
  const message =
    `The task lost its worker ${MAX_LOST_WORKERS} times in a row (attempt ${attempt}); ` +
    'it may be crashing the worker itself';
  return new ActivityFailure(
    message,
    lost.activityType,
    lost.activityId,
    RetryState.NON_RETRYABLE_FAILURE,
    lost.identity,
    ApplicationFailure.nonRetryable(message, 'WorkerLost', attemptDetail(attempt)),
  );
}
