/**
 * Runs one task of the plan by its type: an activity for http, command and notify; a durable
 * timer for delay; a child run for subjob; chunk activities for foreach. Never throws for a task's
 * own failure: the outcome says how it ended.
 */
import {
  MAX_TASK_OUTPUT_BYTES,
  TemplateError,
  WORKFLOW_TYPE,
  hasTemplate,
  renderTemplates,
  type CommandParams,
  type DelayParams,
  type HttpParams,
  type NotifyParams,
  type Plan,
  type PlanTask,
  type RunInput,
  type RunResult,
  type SubjobParams,
} from '@batchgraph/engine';
import type { Activities, TaskInput } from '@batchgraph/activities';
import { executeChild, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import { activityOptions } from './activity-options';
import { failedAttempts, failureMessage } from './failures';
import { runForeach } from './foreach';
import { attemptOf } from './interceptors';
import { jsonBytes } from './output';
import { failed, type TaskOutcome } from './outcome';
import type { RunState } from './run-state';
import { runSearchAttributes } from './search-attributes';

export interface TaskContext {
  input: RunInput;
  state: RunState;
  workflowId: string;
  /** Chunk activities one foreach task may run at once. */
  chunkParallelism: number;
}

export async function runTask(task: PlanTask, context: TaskContext): Promise<TaskOutcome> {
  let params: unknown;
  try {
    // A foreach renders its per-item task once per item, in the activity.
    const keep = task.type === 'foreach' ? (['item'] as const) : [];
    params = renderTemplates(task.params, context.state.scope(), { keep });
  } catch (error) {
    if (error instanceof TemplateError) return failed(templateMessage(error), 0);
    throw error;
  }
  try {
    return await runRendered(task, params, context);
  } catch (error) {
    if (isCancellation(error)) return { state: 'cancelled' };
    return failed(failureMessage(error), failedAttempts(error, task.retry.maximumAttempts));
  }
}

function templateMessage(error: TemplateError): string {
  const where = error.location.length > 0 ? ` in params.${error.location.join('.')}` : '';
  return `Template error${where}: ${error.message}`;
}

async function runRendered(
  task: PlanTask,
  params: unknown,
  context: TaskContext,
): Promise<TaskOutcome> {
  switch (task.type) {
    case 'http':
    case 'command':
    case 'notify':
      return checkedOutput(await runActivity(task, params, context), attemptOf(task.id));
    case 'delay':
      await sleep((params as DelayParams).seconds * 1000);
      return { state: 'succeeded', output: undefined };
    case 'subjob':
      return runSubjob(task, params as SubjobParams, context);
    case 'foreach':
      return runForeach(task, params, context);
  }
}

function runActivity(task: PlanTask, params: unknown, context: TaskContext): Promise<unknown> {
  const activities = proxyActivities<Activities>(activityOptions(task, task.id));
  const base = {
    runId: context.workflowId,
    ...keyRun(context.input),
    jobId: context.input.plan.job.id,
    taskId: task.id,
    startedBy: context.input.startedBy,
  };
  const input = <P>(): TaskInput<P> => ({ ...base, params: params as P });
  switch (task.type) {
    case 'http':
      return activities.http(input<HttpParams>());
    case 'command':
      return activities.command(input<CommandParams>());
    default:
      return activities.notify(input<NotifyParams>());
  }
}

/** Idempotency keys of a retry's tasks derive from the first run it retries (DESIGN.md). */
export function keyRun(input: RunInput): { keyRunId?: string } {
  return input.retryRoot === undefined ? {} : { keyRunId: input.retryRoot };
}

/** The activities refuse big outputs themselves; this keeps the workflow safe from any that slip by. */
function checkedOutput(output: unknown, attempts: number | undefined): TaskOutcome {
  const bytes = jsonBytes(output);
  if (bytes > MAX_TASK_OUTPUT_BYTES) {
    return failed(
      `The output is ${bytes} bytes, more than the ${MAX_TASK_OUTPUT_BYTES} bytes a task may return`,
      attempts,
    );
  }
  return { state: 'succeeded', output, ...(attempts === undefined ? {} : { attempts }) };
}

/** A child run of the sub-job's compiled plan; the task retries it per its retry policy. */
async function runSubjob(
  task: PlanTask,
  params: SubjobParams,
  context: TaskContext,
): Promise<TaskOutcome> {
  const plan: Plan | undefined = context.input.plan.subplans[task.id];
  if (!plan) return failed(`No compiled plan for sub-job '${params.jobId}'`, 0);
  const { retry } = task;
  let delayMs = retry.initialIntervalMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await executeChild<(input: RunInput) => Promise<RunResult>>(WORKFLOW_TYPE, {
        args: [childInput(plan, params, context)],
        workflowId: `${context.workflowId}-${task.id}${attempt > 1 ? `-${attempt}` : ''}`,
        // The child interpreter runs where this one does (its tasks default to plan.taskQueue).
        typedSearchAttributes: runSearchAttributes(plan, 'subjob'),
      });
      return {
        state: 'succeeded',
        output: { status: result.status, outputs: result.outputs },
        attempts: attempt,
      };
    } catch (error) {
      if (isCancellation(error)) throw error;
      if (attempt >= retry.maximumAttempts) return failed(failureMessage(error), attempt);
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * retry.backoffCoefficient, retry.maximumIntervalMs);
  }
}

function childInput(plan: Plan, params: SubjobParams, context: TaskContext): RunInput {
  const { runUrl, startedBy } = context.input;
  return {
    plan,
    input: params.input,
    trigger: 'subjob',
    startedBy,
    // Only a templated link points at the child's own page.
    ...(runUrl && hasTemplate(runUrl) ? { runUrl } : {}),
  };
}
