/**
 * What the interpreter and the worker's activity interceptors agree on: the headers the workflow
 * puts on the activities it schedules, and how an activity's attempt number comes back with its
 * result or its final failure. Plain data and functions: the workflow bundle and the worker both
 * import this module.
 */

/** The run's job id, so that activity log lines carry it. */
export const JOB_ID_HEADER = 'batchgraph-job-id';

/**
 * Asks the worker to return an `AttemptEnvelope` instead of the bare result. Only a workflow that
 * sends it unwraps envelopes, so workers and workflows of different releases can run side by side.
 */
export const REPORT_ATTEMPT_HEADER = 'batchgraph-report-attempt';

/**
 * Sent on an attempt re-dispatched after its worker was lost (worker-loss.ts): the attempts its
 * task made before, so the worker numbers this one on from them, and the last heartbeat details
 * of the lost attempt, so it resumes where that one left off.
 */
export const ATTEMPT_OFFSET_HEADER = 'batchgraph-attempt-offset';
export const RESUME_DETAILS_HEADER = 'batchgraph-resume-details';

const ATTEMPT_KEY = 'batchgraphAttempt';
const DETAILS_KEY = 'details';

export interface AttemptEnvelope {
  [ATTEMPT_KEY]: number;
  result: unknown;
}

/** Added to the details of a non-retryable failure: the attempt that failed. */
export interface AttemptDetail {
  [ATTEMPT_KEY]: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function attemptIn(value: unknown): number | undefined {
  if (!isRecord(value)) return undefined;
  const attempt = value[ATTEMPT_KEY];
  return typeof attempt === 'number' && Number.isInteger(attempt) && attempt > 0
    ? attempt
    : undefined;
}

export function envelope(result: unknown, attempt: number): AttemptEnvelope {
  return { [ATTEMPT_KEY]: attempt, result };
}

/** The result inside an envelope and its attempt; anything else is a bare result. */
export function openEnvelope(value: unknown): { result: unknown; attempt?: number } {
  const attempt = attemptIn(value);
  const onlyEnvelopeKeys =
    isRecord(value) && Object.keys(value).every((key) => key === ATTEMPT_KEY || key === 'result');
  return attempt !== undefined && onlyEnvelopeKeys
    ? { result: value.result, attempt }
    : { result: value };
}

export function attemptDetail(attempt: number): AttemptDetail {
  return { [ATTEMPT_KEY]: attempt };
}

/** The attempt a failure's details report, if they carry one. */
export function attemptInDetails(
  details: readonly unknown[] | null | undefined,
): number | undefined {
  for (const detail of details ?? []) {
    const attempt = attemptIn(detail);
    if (attempt !== undefined && Object.keys(detail as object).length === 1) return attempt;
  }
  return undefined;
}

/**
 * What the worker's heartbeats carry: the attempt and the activity's own details. When the
 * attempt's worker is lost, the workflow reads them from the heartbeat timeout.
 */
export interface HeartbeatEnvelope {
  [ATTEMPT_KEY]: number;
  [DETAILS_KEY]?: unknown;
}

export function heartbeatEnvelope(attempt: number, details: unknown): HeartbeatEnvelope {
  return details === undefined
    ? { [ATTEMPT_KEY]: attempt }
    : { [ATTEMPT_KEY]: attempt, [DETAILS_KEY]: details };
}

/** The attempt and details of a heartbeat; anything else is an older worker's bare details. */
export function openHeartbeat(value: unknown): { details: unknown; attempt?: number } {
  const attempt = attemptIn(value);
  const onlyEnvelopeKeys =
    isRecord(value) &&
    Object.keys(value).every((key) => key === ATTEMPT_KEY || key === DETAILS_KEY);
  return attempt !== undefined && onlyEnvelopeKeys
    ? { details: value[DETAILS_KEY], attempt }
    : { details: value };
}
