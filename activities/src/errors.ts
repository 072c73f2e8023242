/**
 * How activities fail. Temporal retries an activity per the task's retry policy unless the error is
 * a non-retryable ApplicationFailure, so every failure is classified here: problems a retry cannot
 * fix (bad params, a refused host, a final status) are non-retryable; passing ones are retryable.
 * The `type` names the kind of failure so the workflow and Temporal UI can tell them apart.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Duration } from '@temporalio/common';

export const failureTypes = [
  'BadParams',
  'HostNotAllowed',
  'ConnectionNotFound',
  'IdentityNotVerified',
  'ConnectionNotAllowed',
  'NotConfigured',
  'HttpStatus',
  'NetworkError',
  'Timeout',
  'OutputTooLarge',
  'CommandNotAllowed',
  'CommandFailed',
  'ItemsNotAList',
  'NotifyFailed',
] as const;
export type FailureType = (typeof failureTypes)[number];

interface FailureOptions {
  cause?: unknown;
  details?: unknown[];
  nextRetryDelay?: Duration;
}

function failure(
  message: string,
  type: FailureType,
  nonRetryable: boolean,
  options: FailureOptions,
): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable,
    cause: asError(options.cause),
    details: options.details,
    nextRetryDelay: options.nextRetryDelay,
  });
}

/** A failure that a retry cannot fix: the task fails at once. */
export function finalFailure(
  message: string,
  type: FailureType,
  options: FailureOptions = {},
): ApplicationFailure {
  return failure(message, type, true, options);
}

/** A failure that may pass: the task's retry policy applies. */
export function retryableFailure(
  message: string,
  type: FailureType,
  options: FailureOptions = {},
): ApplicationFailure {
  return failure(message, type, false, options);
}

/** Whether another attempt may succeed (used for foreach item retries inside one activity). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CancelledFailure) return false;
  if (error instanceof ApplicationFailure) return !error.nonRetryable;
  return true;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The innermost cause's message, e.g. `connect ECONNREFUSED 127.0.0.1:9` under `fetch failed`. */
export function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const code = current instanceof Error ? (current as NodeJS.ErrnoException).code : undefined;
  const message = errorMessage(current);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function asError(cause: unknown): Error | undefined {
  if (cause === undefined) return undefined;
  return cause instanceof Error ? cause : new Error(String(cause));
}

/** Throws the activity's cancellation (a CancelledFailure) when it has been cancelled. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted)
    throw signal.reason instanceof Error
      ? signal.reason
      : new CancelledFailure('the activity was cancelled');
}
