/**
 * The interpreter's workflow interceptors (registered through the bundle's interceptor modules):
 * every activity it schedules carries the run's job id and asks for its attempt number; results
 * come back unwrapped, and `attemptOf(activityId)` tells which attempt produced them. Workflow log
 * lines get the job id too. Headers are not part of the commands Temporal compares on replay, so
 * this needs no `patched()`.
 *
 * Module state is per workflow execution: the SDK gives each workflow its own copy of the bundle's
 * modules.
 */
import type { RunInput } from '@batchgraph/engine';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  workflowInfo,
  type ActivityInput,
  type GetLogAttributesInput,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { JOB_ID_HEADER, REPORT_ATTEMPT_HEADER, openEnvelope } from './activity-headers';
import { searchAttributeKeys } from './search-attributes';

const attempts = new Map<string, number>();
let jobId: string | undefined;

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

class RunOutbound implements WorkflowOutboundCallsInterceptor {
  /** A `then`, not an async function: every promise in workflow code costs a stack trace. */
  scheduleActivity(
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
  ): Promise<unknown> {
    const headers = {
      ...input.headers,
      [REPORT_ATTEMPT_HEADER]: defaultPayloadConverter.toPayload(true),
      ...(jobId === undefined ? {} : { [JOB_ID_HEADER]: defaultPayloadConverter.toPayload(jobId) }),
    };
    return next({ ...input, headers }).then((value) => {
      const { result, attempt } = openEnvelope(value);
      const { activityId } = input.options;
      if (attempt !== undefined && activityId !== undefined) attempts.set(activityId, attempt);
      return result;
    });
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
