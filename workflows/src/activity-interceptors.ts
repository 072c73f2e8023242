/**
 * The worker's activity interceptors, the other half of src/workflows/interceptors.ts: they read
 * the headers the interpreter puts on each activity, so that log lines carry the job id, every
 * attempt heartbeats (attempt-heartbeats.ts) and the result (or a final failure) carries the
 * attempt that produced it, numbered on across re-dispatches after a lost worker. Activities stay
 * plain functions.
 */
import type { Context } from '@temporalio/activity';
import { ApplicationFailure, defaultPayloadConverter, type Headers } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptors,
  ActivityOutboundCallsInterceptor,
  GetLogAttributesInput,
  GetMetricTagsInput,
  Next,
} from '@temporalio/worker';
import { withAttemptHeartbeats } from './attempt-heartbeats';
import {
  ATTEMPT_OFFSET_HEADER,
  JOB_ID_HEADER,
  REPORT_ATTEMPT_HEADER,
  RESUME_DETAILS_HEADER,
  attemptDetail,
  envelope,
} from './workflows/activity-headers';

interface RunHeaders {
  jobId?: string;
}

function header(headers: Headers, name: string): unknown {
  const payload = headers[name];
  return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
}

/**
 * A final failure with the attempt added to its details. Retryable failures need none: when they
 * end the task, Temporal reports that retries ran out, so the workflow knows the count.
 */
export function withAttempt(error: unknown, attempt: number): unknown {
  if (!(error instanceof ApplicationFailure) || !error.nonRetryable) return error;
  const failure = ApplicationFailure.create({
    message: error.message,
    type: error.type ?? undefined,
    nonRetryable: true,
    details: [...(error.details ?? []), attemptDetail(attempt)],
    cause: error.cause,
    nextRetryDelay: error.nextRetryDelay ?? undefined,
    category: error.category ?? undefined,
  });
  failure.stack = error.stack;
  return failure;
}

class ReportAttempt implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly run: RunHeaders,
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const jobId = header(input.headers, JOB_ID_HEADER);
    if (typeof jobId === 'string') this.run.jobId = jobId;
    if (header(input.headers, REPORT_ATTEMPT_HEADER) !== true) return next(input);
    const before = header(input.headers, ATTEMPT_OFFSET_HEADER);
    const attempt = (typeof before === 'number' ? before : 0) + this.ctx.info.attempt;
    const resumed = header(input.headers, RESUME_DETAILS_HEADER);
    try {
      const result = await withAttemptHeartbeats(this.ctx, attempt, resumed, () => next(input));
      return envelope(result, attempt);
    } catch (error) {
      throw withAttempt(error, attempt);
    }
  }
}

class RunAttributes implements ActivityOutboundCallsInterceptor {
  constructor(private readonly run: RunHeaders) {}

  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<ActivityOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    return next(this.run.jobId === undefined ? input : { ...input, jobId: this.run.jobId });
  }

  getMetricTags(
    input: GetMetricTagsInput,
    next: Next<ActivityOutboundCallsInterceptor, 'getMetricTags'>,
  ): GetMetricTagsInput {
    return next(this.run.jobId === undefined ? input : { ...input, job_id: this.run.jobId });
  }
}

export function batchgraphActivityInterceptors(ctx: Context): ActivityInterceptors {
  const run: RunHeaders = {};
  return { inbound: new ReportAttempt(ctx, run), outbound: new RunAttributes(run) };
}
