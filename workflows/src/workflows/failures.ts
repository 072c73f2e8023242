/** Turning what Temporal reports about a failed attempt into the task's error text and attempt count. */
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  RetryState,
  TemporalFailure,
  TimeoutFailure,
} from '@temporalio/common';
import { attemptInDetails } from './activity-headers';

/** The message of the failure's real reason, skipping Temporal's "Activity task failed" wrappers. */
export function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure || error instanceof ChildWorkflowFailure) {
    return error.cause ? failureMessage(error.cause) : error.message;
  }
  if (error instanceof TimeoutFailure) {
    const kind = error.timeoutType?.toLowerCase().replaceAll('_', '-') ?? 'unknown';
    return `Timed out (${kind} timeout)`;
  }
  if (error instanceof TemporalFailure || error instanceof Error) return error.message;
  return String(error);
}

/**
 * How many attempts a failed activity made: all of them when Temporal reports that retries ran
 * out; the attempt the worker wrote into a non-retryable failure's details (see activity-headers);
 * else 1, a lower bound (a worker of an older release).
 */
export function failedAttempts(error: unknown, maximumAttempts: number): number {
  if (!(error instanceof ActivityFailure)) return 1;
  if (error.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED) return maximumAttempts;
  const reported =
    error.cause instanceof ApplicationFailure ? attemptInDetails(error.cause.details) : undefined;
  return reported ?? 1;
}
