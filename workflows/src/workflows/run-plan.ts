/**
 * The interpreter: one workflow type that runs any compiled plan. The engine's RunMachine decides
 * which tasks start, skip and how the run ends; this file only turns its decisions into Temporal
 * commands and feeds results back. Keep it deterministic: no I/O, no Math.random, no real clocks
 * (the workflow sandbox makes `Date` replay-safe), and every change to the commands it emits goes
 * behind `patched()` (README.md).
 */
import {
  RUN_STATE_QUERY,
  TASK_OUTPUT_QUERY,
  jsonBytes,
  RunMachine,
  renderTemplates,
  type Plan,
  type RunInput,
  type RunResult,
  type RunView,
} from '@batchgraph/engine';
import type { Activities } from '@batchgraph/activities';
import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  condition,
  continueAsNew,
  defineQuery,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { failureMessage } from './failures';
import { onWorkerLost } from './interceptors';
import {
  HISTORY_EVENTS_BEFORE_CONTINUE,
  MAX_PARALLEL_TASKS,
  MAX_PENDING_ACTIVITIES,
  FOREACH_PARALLEL_CHUNKS,
  PLAN_INLINE_BYTES,
} from './limits';
import { countRunEnded, countRunStarted, recordTaskDuration } from './metrics';
import type { TaskOutcome } from './outcome';
import { RunState } from './run-state';
import { runTask, type TaskContext } from './tasks';

export const runStateQuery = defineQuery<RunView>(RUN_STATE_QUERY);
export const taskOutputQuery = defineQuery<unknown, [string]>(TASK_OUTPUT_QUERY);

interface Completion {
  task: number;
  outcome: TaskOutcome;
}

export async function runPlan(given: RunInput): Promise<RunResult> {
  const { workflowId } = workflowInfo();
  // Runs from before the claim-check held full outputs; they go on doing so (README.md).
  const claimCheck = patched('claim-check');
  const input = given.planRef ? { ...given, plan: await loadPlan(given) } : given;
  const state = new RunState(input, workflowId, new Date());
  setHandler(runStateQuery, () => state.runView());
  // Activity ids are the task id, or `<task>#<chunk>` for a foreach's activities.
  onWorkerLost((activityId) => {
    const taskId = activityId.split('#')[0]!;
    if (input.plan.tasks.some((task) => task.id === taskId)) state.workerLost(taskId);
  });
  setHandler(taskOutputQuery, (taskId) => state.output(taskId));
  const machine = new RunMachine(input.plan, input.resume?.snapshot);
  // A run that continued as new was counted when it first started.
  if (!input.resume) countRunStarted(input.plan, input.trigger);
  const interpreter = new Interpreter(input, state, machine, {
    input,
    state,
    workflowId,
    chunkParallelism: chunkParallelism(input.plan),
    claimCheck,
  });
  try {
    if ((await interpreter.run()) === 'continue') {
      const plan = claimCheck
        ? await planToCarry(given, input.plan, workflowId)
        : { plan: input.plan };
      return await continueAsNew<typeof runPlan>({
        ...input,
        ...plan,
        resume: state.resume(machine.snapshot()),
      });
    }
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    if (!isCancellation(error)) return interpreterFailed(error, input, state, machine, workflowId);
    machine.cancel();
    state.settle((index) => machine.state(index), new Date());
    await CancellationScope.nonCancellable(async () => {
      await interpreter.stopped();
      state.end('cancelled', new Date());
      countRunEnded(input.plan, 'cancelled');
      await notifyRun(input, state, workflowId);
    });
    throw error;
  }
  const failedTasks = input.plan.tasks.filter(
    (task, index) => machine.state(index) === 'failed' && machine.failsRun(index),
  );
  const status = machine.outcome === 'failed' ? 'failed' : 'succeeded';
  state.end(status, new Date());
  countRunEnded(input.plan, status);
  await CancellationScope.nonCancellable(() => notifyRun(input, state, workflowId));
  if (machine.outcome === 'failed') {
    throw ApplicationFailure.nonRetryable(
      `Run failed: ${listIds(failedTasks.map((task) => task.id))} failed`,
      'RunFailed',
      state.result(),
    );
  }
  return state.result();
}

function planActivities(plan: Plan) {
  return proxyActivities<Activities>({
    taskQueue: plan.taskQueue,
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 10, initialInterval: '1 second' },
  });
}

/** The whole plan of a run that continued as new with a reference to it. */
function loadPlan(input: RunInput): Promise<Plan> {
  return planActivities(input.plan).loadPlan({ ref: input.planRef! });
}

/**
 * What the next run's input carries of the plan: the plan itself while it is small; else its
 * header and a reference, the plan stored once (at the first continue-as-new) and loaded by each
 * run that follows, so the input stays far below Temporal's payload limit.
 */
async function planToCarry(
  given: RunInput,
  plan: Plan,
  workflowId: string,
): Promise<Pick<RunInput, 'plan' | 'planRef'>> {
  if (!given.planRef && jsonBytes(plan) <= PLAN_INLINE_BYTES) return { plan };
  const planRef =
    given.planRef ?? (await planActivities(plan).storePlan({ runId: workflowId, plan }));
  return { plan: { ...plan, tasks: [], edges: [], subplans: {} }, planRef };
}

/**
 * An error of the interpreter itself (a bug, a plan it cannot run) would fail the workflow task
 * again and again, leaving the run stuck; instead the run fails with its RunResult, so that
 * retry-from-failure reuses what succeeded (DESIGN.md, Data and limits).
 */
async function interpreterFailed(
  error: unknown,
  input: RunInput,
  state: RunState,
  machine: RunMachine,
  workflowId: string,
): Promise<never> {
  const message = failureMessage(error);
  log.error('The interpreter failed; failing the run', { error: message });
  // Unfinished tasks end cancelled and the rest skipped, so a retry runs them again.
  machine.cancel();
  state.settle((index) => machine.state(index), new Date());
  state.end('failed', new Date());
  countRunEnded(input.plan, 'failed');
  await CancellationScope.nonCancellable(() => notifyRun(input, state, workflowId));
  throw ApplicationFailure.nonRetryable(
    `Run failed: the interpreter stopped: ${message}`,
    'RunFailed',
    state.result(),
  );
}

/**
 * Chunk activities a foreach may run at once, so that even maxParallel foreach tasks side by side
 * stay under Temporal's limit on pending activities.
 */
function chunkParallelism(plan: Plan): number {
  if (plan.maxParallel < 1 || plan.maxParallel > MAX_PARALLEL_TASKS) {
    throw ApplicationFailure.nonRetryable(
      `maxParallel must be between 1 and ${MAX_PARALLEL_TASKS}, not ${plan.maxParallel}`,
      'BadPlan',
    );
  }
  const lanes = Math.floor(MAX_PENDING_ACTIVITIES / plan.maxParallel);
  return Math.max(1, Math.min(FOREACH_PARALLEL_CHUNKS, lanes));
}

function listIds(ids: string[]): string {
  const shown = ids.slice(0, 10).join(', ');
  const more = ids.length > 10 ? ` and ${ids.length - 10} more` : '';
  return `${ids.length === 1 ? 'task' : 'tasks'} ${shown}${more}`;
}

class Interpreter {
  private readonly completions: Completion[] = [];
  /** A task runner that threw is a bug in the interpreter: the run fails (interpreterFailed). */
  private crash: { error: unknown } | undefined;
  private draining = false;
  /** Task runners that have not returned yet (the machine forgets them once the run is cancelled). */
  private unsettled = 0;

  constructor(
    private readonly input: RunInput,
    private readonly state: RunState,
    private readonly machine: RunMachine,
    private readonly context: TaskContext,
  ) {}

  /** Runs until every task is final ('finished'), or until the history asks for a fresh run. */
  async run(): Promise<'finished' | 'continue'> {
    const root = CancellationScope.current();
    for (;;) {
      if (root.consideredCancelled) await root.cancelRequested;
      if (!this.draining) this.startReady();
      this.state.settle((index) => this.machine.state(index), new Date());
      if (this.machine.isFinished) return 'finished';
      if (this.machine.runningCount === 0) {
        if (this.draining) return 'continue';
        throw new Error('the run is stuck: no task is running, yet it has not finished');
      }
      await condition(() => this.completions.length > 0 || this.crash !== undefined);
      if (this.crash) throw this.crash.error;
      for (const completion of this.completions.splice(0)) this.record(completion);
      if (!this.draining && historyIsLong()) {
        this.draining = true;
        log.info('Draining running tasks before continuing as new', {
          historyLength: workflowInfo().historyLength,
        });
      }
    }
  }

  /** Resolves once every task runner has returned, e.g. after cancelled activities stopped. */
  stopped(): Promise<void> {
    return condition(() => this.unsettled === 0);
  }

  private startReady(): void {
    for (;;) {
      const started = this.machine.startReady();
      if (started.length === 0) return;
      let reusedAny = false;
      for (const index of started) {
        const task = this.input.plan.tasks[index]!;
        const reused = this.input.reuse?.[task.id];
        if (reused) {
          this.state.reused(task.id, reused.output, new Date(), reused.summary);
          this.machine.finish(index, 'succeeded');
          reusedAny = true;
          continue;
        }
        this.state.started(task.id, new Date());
        this.unsettled += 1;
        // One `then` rather than then + finally: the SDK captures a stack trace for every promise
        // workflow code creates, and finally() makes three (README.md, Performance).
        runTask(task, this.context).then(
          (outcome) => {
            this.unsettled -= 1;
            this.completions.push({ task: index, outcome });
          },
          (error: unknown) => {
            this.unsettled -= 1;
            this.crash ??= { error };
          },
        );
      }
      // Reused tasks finish at once and may have made more tasks ready.
      if (!reusedAny) return;
    }
  }

  private record({ task, outcome }: Completion): void {
    const { id, type } = this.input.plan.tasks[task]!;
    const now = new Date();
    const seconds = (now.getTime() - Date.parse(this.state.view(id).startedAt ?? '')) / 1000;
    switch (outcome.state) {
      case 'succeeded':
        this.state.succeeded(id, outcome.output, now, outcome.attempts, outcome.summary);
        this.machine.finish(task, 'succeeded');
        recordTaskDuration(this.input.plan, type, 'succeeded', seconds);
        return;
      case 'failed':
        this.state.failed(id, outcome.error, outcome.attempts, now);
        this.machine.finish(task, 'failed');
        recordTaskDuration(this.input.plan, type, 'failed', seconds);
        return;
      case 'cancelled':
        // Only the run's own cancellation cancels a task; the loop handles that next.
        return;
    }
  }
}

function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= HISTORY_EVENTS_BEFORE_CONTINUE;
}

/** The run notification of the job's settings, sent once when the run ends; never fails the run. */
async function notifyRun(input: RunInput, state: RunState, workflowId: string): Promise<void> {
  const { notify } = input.plan;
  const status = state.runView().status;
  if (!notify || notify.on === 'never') return;
  if (notify.on === 'failure' && status !== 'failed') return;
  const { notifyRun: send } = proxyActivities<Activities>({
    activityId: 'notify-run',
    taskQueue: input.plan.taskQueue,
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 5, initialInterval: '5 seconds' },
  });
  try {
    await send({ runId: workflowId, view: state.runView(), notify, runUrl: runUrl(input, state) });
  } catch (error) {
    log.warn('The run notification could not be sent', { error: failureMessage(error) });
  }
}

function runUrl(input: RunInput, state: RunState): string {
  const { workflowId } = workflowInfo();
  if (!input.runUrl) return `/runs/${workflowId}`;
  try {
    return String(renderTemplates(input.runUrl, state.scope()));
  } catch {
    return input.runUrl;
  }
}
