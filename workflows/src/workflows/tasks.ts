/**
 * Runs one task of the plan by its type: an activity for http, command and notify; a durable
 * timer for delay; a child run for subjob; chunk activities for foreach. Never throws for a task's
 * own failure: the outcome says how it ended.
 *
 * Claim-check (DESIGN.md, Data and limits): the workflow renders `{{ input… }}` and `{{ run… }}`
 * itself and leaves `{{ tasks.<id>… }}` to the activity, which loads the outputs they name from
 * the store; activities store their outputs and return a reference and a summary. Runs that began
 * before the claim-check (no `claim-check` patch marker) keep rendering everything here.
 */
import {
  TemplateError,
  WORKFLOW_TYPE,
  collectTemplates,
  hasTemplate,
  isStoredOutput,
  jsonBytes,
  renderTemplates,
  templateErrorMessage,
  type CommandParams,
  type DelayParams,
  type HttpParams,
  type NotifyParams,
  type Plan,
  type PlanTask,
  type RunInput,
  type RunResult,
  type SubjobParams,
  type TaskScopeEntry,
} from '@batchgraph/engine';
import type { Activities, TaskInput } from '@batchgraph/activities';
import { executeChild, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import { activityOptions } from './activity-options';
import { failedAttempts, failureMessage } from './failures';
import { runForeach } from './foreach';
import { attemptOf } from './interceptors';
import { LEGACY_INLINE_OUTPUT_BYTES } from './limits';
import { failed, type TaskOutcome } from './outcome';
import type { RunState } from './run-state';
import { runSearchAttributes } from './search-attributes';

export interface TaskContext {
  input: RunInput;
  state: RunState;
  workflowId: string;
  /** Chunk activities one foreach task may run at once. */
  chunkParallelism: number;
  /** Whether this run uses the claim-check (`patched('claim-check')` at its start). */
  claimCheck: boolean;
}

/** A task's params as the workflow rendered them, and the tasks their remaining templates name. */
export interface RenderedTask {
  params: unknown;
  /** Undefined when no template is left for an activity (or the run renders everything here). */
  tasks?: Record<string, TaskScopeEntry>;
}

export async function runTask(task: PlanTask, context: TaskContext): Promise<TaskOutcome> {
  let rendered: RenderedTask;
  try {
    rendered = renderHere(task, context);
  } catch (error) {
    if (error instanceof TemplateError) return failed(templateErrorMessage(error), 0);
    throw error;
  }
  try {
    return await runRendered(task, rendered, context);
  } catch (error) {
    if (isCancellation(error)) return { state: 'cancelled' };
    return failed(failureMessage(error), failedAttempts(error, task.retry.maximumAttempts));
  }
}

/** Renders what the workflow may; a foreach renders its per-item task once per item, in the activity. */
function renderHere(task: PlanTask, context: TaskContext): RenderedTask {
  const item = task.type === 'foreach' ? (['item'] as const) : [];
  const { state } = context;
  if (!context.claimCheck) {
    return { params: renderTemplates(task.params, state.scope(), { keep: item }) };
  }
  const params = renderTemplates(task.params, state.scope(), { keep: [...item, 'tasks'] });
  const named = collectTemplates(params)
    .filter((reference) => reference.root === 'tasks')
    .map((reference) => String(reference.path[0]));
  if (named.length === 0) return { params };
  return { params, tasks: state.scopeEntries([...new Set(named)]) };
}

async function runRendered(
  task: PlanTask,
  rendered: RenderedTask,
  context: TaskContext,
): Promise<TaskOutcome> {
  switch (task.type) {
    case 'http':
    case 'command':
    case 'notify':
      return activityOutcome(await runActivity(task, rendered, context), attemptOf(task.id));
    case 'delay':
      // Validation allows no templates in a delay's seconds.
      await sleep((rendered.params as DelayParams).seconds * 1000, { summary: task.name });
      return { state: 'succeeded', output: undefined };
    case 'subjob':
      return runSubjob(
        task,
        (await renderInActivity(task, rendered, context)) as SubjobParams,
        context,
      );
    case 'foreach':
      return runForeach(task, rendered, context);
  }
}

/** Params the workflow itself needs whole (a sub-job's input), rendered by an activity. */
async function renderInActivity(
  task: PlanTask,
  { params, tasks }: RenderedTask,
  context: TaskContext,
): Promise<unknown> {
  if (tasks === undefined) return params;
  const { renderParams } = proxyActivities<Activities>(activityOptions(task, `${task.id}#params`));
  return renderParams({ runId: context.workflowId, taskId: task.id, params, tasks });
}

function runActivity(
  task: PlanTask,
  { params, tasks }: RenderedTask,
  context: TaskContext,
): Promise<unknown> {
  const activities = proxyActivities<Activities>(activityOptions(task, task.id));
  const base = {
    runId: context.workflowId,
    ...keyRun(context.input),
    jobId: context.input.plan.job.id,
    taskId: task.id,
    startedBy: context.input.startedBy,
    ...(tasks === undefined ? {} : { tasks }),
  };
  const claim = context.claimCheck ? { summaryBytes: context.state.summaryBytes } : {};
  const input = <P>(): TaskInput<P> & typeof claim => ({ ...base, ...claim, params: params as P });
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

/**
 * A stored output is held as its reference. A bare one (a run from before the claim-check) is held
 * as it is, within the inline limit such runs always had.
 */
function activityOutcome(result: unknown, attempts: number | undefined): TaskOutcome {
  const counted = attempts === undefined ? {} : { attempts };
  if (isStoredOutput(result)) {
    // No reference: the output was small enough to be its own summary, and the run holds it.
    const held = result.ref ?? result.summary;
    return { state: 'succeeded', output: held, summary: result.summary, ...counted };
  }
  const bytes = jsonBytes(result);
  if (bytes > LEGACY_INLINE_OUTPUT_BYTES) {
    return failed(
      `The output is ${bytes} bytes, more than the ${LEGACY_INLINE_OUTPUT_BYTES} bytes a task may return`,
      attempts,
    );
  }
  return { state: 'succeeded', output: result, ...counted };
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
      // The child's outputs are references into the store (or small values): safe to hold.
      return {
        state: 'succeeded',
        output: { status: result.status, outputs: result.outputs },
        attempts: attempt,
      };
    } catch (error) {
      if (isCancellation(error)) throw error;
      if (attempt >= retry.maximumAttempts) return failed(failureMessage(error), attempt);
    }
    await sleep(delayMs, { summary: `${task.name}: wait before attempt ${attempt + 1}` });
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
