/**
 * The interpreter's workflow interceptors (registered through the bundle's interceptor modules):
 * every activity it schedules carries the run's job id and asks for its attempt number; results
 * come back unwrapped, and `attemptOf(activityId)` tells which attempt produced them. An activity
 * whose worker was lost is dispatched again here (worker-loss.ts), behind `patched()` since that
 * adds commands; `onWorkerLost` tells the run. Workflow log lines get the job id too. Headers are
 * not part of the commands Temporal compares on replay.
 *
 * Module state is per workflow execution: the SDK gives each workflow its own copy of the bundle's
 * modules.
 */
import type { RunInput } from '@batchgraph/engine';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  patched,
  workflowInfo,
  type ActivityInput,
  type GetLogAttributesInput,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { ActivityFailure, Headers } from '@temporalio/common';
import {
  ATTEMPT_OFFSET_HEADER,
  JOB_ID_HEADER,
  REPORT_ATTEMPT_HEADER,
  RESUME_DETAILS_HEADER,
  openEnvelope,
} from './activity-headers';
import { searchAttributeKeys } from './search-attributes';
import {
  MAX_LOST_WORKERS,
  REDISPATCH_PATCH,
  lostAttempt,
  lostTooOften,
  remainingRetry,
} from './worker-loss';

const attempts = new Map<string, number>();
let jobId: string | undefined;
let workerLostListener: ((activityId: string) => void) | undefined;

/** Called each time an activity lost its worker and is dispatched again. */
export function onWorkerLost(listener: (activityId: string) => void): void {
  workerLostListener = listener;
}

/**
 * The run's job id: from its input once the run executes; before that (the SDK's "Workflow
 * started" line) from the search attribute its starter set.
 */
function currentJobId(): string | undefined {
  return jobId ?? workflowInfo().typedSearchAttributes.get(searchAttributeKeys.jobId);
}

/** The attempt that produced the activity's result, when its worker reported it. */
export function attemptOf(activityId: string): number | undefined {
  return attempts.get(activityId);
}

class RunInbound implements WorkflowInboundCallsInterceptor {
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
    const [run] = input.args as [Partial<RunInput> | undefined];
    jobId = run?.plan?.job.id;
    return next(input);
  }
}

/** Where a task's activity stands when it is dispatched (again, after a lost worker). */
interface Dispatch {
  /** Attempts the task made before this dispatch. */
  before: number;
  /** The lost attempt's last heartbeat details, for the activity to resume from. */
  resume: unknown;
  lostInRow: number;
}

class RunOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
  ): Promise<unknown> {
    return this.dispatch(input, next, { before: 0, resume: undefined, lostInRow: 0 });
  }

  /**
   * One dispatch of the activity; when its worker is lost, the next one with the attempts left.
   * `then` chains, not an async function: every promise in workflow code costs a stack trace.
   */
  private dispatch(
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
    dispatch: Dispatch,
  ): Promise<unknown> {
    const { activityId } = input.options;
    const { before, resume, lostInRow } = dispatch;
    const options =
      before === 0
        ? input.options
        : {
            ...input.options,
            retry: remainingRetry(input.options.retry, before),
          };
    const headers = this.headers(input.headers, before, resume);
    return next({ ...input, options, headers }).then(
      (value) => {
        const { result, attempt } = openEnvelope(value);
        if (attempt !== undefined && activityId !== undefined) attempts.set(activityId, attempt);
        return result;
      },
      (error: unknown) => {
        const lost = lostAttempt(error);
        if (!lost || !patched(REDISPATCH_PATCH)) throw error;
        // Without a heartbeat of its own, the lost attempt is taken to be the dispatch's first.
        const attempt = lost.attempt ?? before + 1;
        const inRow = attempt === before + 1 ? lostInRow + 1 : 1;
        if (inRow >= MAX_LOST_WORKERS) throw lostTooOften(error as ActivityFailure, attempt);
        if (activityId !== undefined) workerLostListener?.(activityId);
        return this.dispatch(input, next, {
          before: attempt - 1,
          resume: lost.details,
          lostInRow: inRow,
        });
      },
    );
  }

  private headers(headers: Headers, before: number, resume: unknown): Headers {
    const toPayload = (value: unknown) => defaultPayloadConverter.toPayload(value);
    return {
      ...headers,
      [REPORT_ATTEMPT_HEADER]: toPayload(true),
      ...(jobId === undefined ? {} : { [JOB_ID_HEADER]: toPayload(jobId) }),
      ...(before > 0 ? { [ATTEMPT_OFFSET_HEADER]: toPayload(before) } : {}),
      ...(resume === undefined ? {} : { [RESUME_DETAILS_HEADER]: toPayload(resume) }),
    };
  }

  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    const id = currentJobId();
    return next(id === undefined ? input : { ...input, jobId: id });
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new RunInbound()],
  outbound: [new RunOutbound()],
});
