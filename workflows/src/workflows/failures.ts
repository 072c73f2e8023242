/** Turning what Temporal reports about a failed attempt into the task's error text and attempt count. */
import {
  ActivityFailure,
  ChildWorkflowFailure,
  RetryState,
  TemporalFailure,
  TimeoutFailure,
} from '@temporalio/common';

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
 * How many attempts a failed activity made, as far as a workflow can know: Temporal reports that
 * retries ran out, but not the count of attempts before a non-retryable error. A lower bound then.
 */
export function failedAttempts(error: unknown, maximumAttempts: number): number {
  if (
    error instanceof ActivityFailure &&
    error.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED
  ) {
    return maximumAttempts;
  }
  return 1;
}
