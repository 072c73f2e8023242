/**
 * Everything a run knows besides the machine's task states: the live view its query returns, what
 * it holds of each task's output (an OutputRef into the store, or a small value such as a foreach's
 * statistics; full outputs only in runs that began before the claim-check), and the template
 * scope. Only plain data, so it crosses continue-as-new as part of the input.
 */
import {
  isTruncatedOutput,
  plainIdentity,
  summarize,
  summaryBytes,
  type ForeachProgress,
  type ForeachRedrive,
  type MachineSnapshot,
  type Plan,
  type RunInput,
  type RunResult,
  type RunResume,
  type RunStatus,
  type RunView,
  type TaskScopeEntry,
  type TaskState,
  type TaskView,
  type TemplateScope,
} from '@batchgraph/engine';

interface ScopeTask {
  output: unknown;
  state: TaskState;
}

export class RunState {
  private readonly views: Record<string, TaskView> = {};
  private readonly outputs: Record<string, unknown>;
  /** `tasks` of the template scope, kept up to date so rendering a task costs nothing extra. */
  private readonly scopeTasks: Record<string, ScopeTask> = {};
  private readonly runScope: Record<string, unknown>;
  private status: RunStatus = 'running';
  private endedAt: string | undefined;
  readonly startedAt: string;
  /** How big each task's output summary in the view may be, by the plan's size. */
  readonly summaryBytes: number;

  constructor(
    private readonly input: RunInput,
    workflowId: string,
    now: Date,
  ) {
    const { plan, resume } = input;
    this.startedAt = resume?.startedAt ?? now.toISOString();
    this.summaryBytes = summaryBytes(plan.tasks.length);
    this.outputs = { ...resume?.outputs };
    for (const task of plan.tasks) {
      this.views[task.id] = resume?.views[task.id] ?? { state: 'pending', attempts: 0 };
      this.scopeTasks[task.id] = {
        output: this.outputs[task.id],
        state: this.views[task.id]!.state,
      };
    }
    this.runScope = {
      id: workflowId,
      jobId: plan.job.id,
      jobName: plan.job.name,
      version: plan.job.version,
      trigger: input.trigger,
      startedAt: this.startedAt,
    };
  }

  get plan(): Plan {
    return this.input.plan;
  }

  view(id: string): TaskView {
    const view = this.views[id];
    if (!view) throw new Error(`there is no task '${id}'`);
    return view;
  }

  /** What the run holds of a task's output: an OutputRef, or the (small or older) value. */
  output(id: string): unknown {
    return this.outputs[id];
  }

  scope(): TemplateScope {
    return { input: this.input.input, tasks: this.scopeTasks, run: this.runScope };
  }

  /**
   * What an activity needs to render templates naming these tasks: each one's state and output,
   * as the value when the view's summary is the whole output (no store read), else what the run
   * holds (a reference the activity loads).
   */
  scopeEntries(ids: readonly string[]): Record<string, TaskScopeEntry> {
    const entries: Record<string, TaskScopeEntry> = {};
    for (const id of ids) {
      const view = this.views[id];
      if (!view) continue;
      const whole = view.output !== undefined && !isTruncatedOutput(view.output);
      const output = whole ? view.output : this.outputs[id];
      entries[id] = { state: view.state, ...(output === undefined ? {} : { output }) };
    }
    return entries;
  }

  started(id: string, now: Date): void {
    this.update(id, { state: 'running', startedAt: now.toISOString(), attempts: 1 });
  }

  /** `summary`: the activity's own summary of a stored output; else the held value's. */
  succeeded(id: string, held: unknown, now: Date, attempts?: number, summary?: unknown): void {
    this.outputs[id] = held;
    this.update(id, {
      state: 'succeeded',
      endedAt: now.toISOString(),
      output: summary ?? summarize(held, this.summaryBytes),
      ...(attempts === undefined ? {} : { attempts }),
    });
  }

  reused(id: string, held: unknown, now: Date, summary?: unknown): void {
    this.outputs[id] = held;
    const at = now.toISOString();
    this.update(id, {
      state: 'succeeded',
      attempts: 0,
      startedAt: at,
      endedAt: at,
      output: summary ?? summarize(held, this.summaryBytes),
      reused: true,
    });
  }

  failed(id: string, error: string, attempts: number, now: Date): void {
    this.update(id, { state: 'failed', error, attempts, endedAt: now.toISOString() });
  }

  /** An attempt of the task lost its worker and was dispatched again. */
  workerLost(id: string): void {
    this.update(id, { workerLost: (this.view(id).workerLost ?? 0) + 1 });
  }

  /** What a foreach that did not succeed leaves for its retry. */
  redrive(id: string, redrive: ForeachRedrive): void {
    this.update(id, { redrive });
  }

  progress(id: string, progress: ForeachProgress): void {
    this.update(id, { progress });
  }

  /** Copies the machine's states of tasks the run did not finish itself (skips, cancels). */
  settle(stateOf: (index: number) => TaskState, now: Date): void {
    this.plan.tasks.forEach((task, index) => {
      const state = stateOf(index);
      const view = this.view(task.id);
      if (view.state === state) return;
      const ended = state === 'cancelled' && !view.endedAt ? { endedAt: now.toISOString() } : {};
      this.update(task.id, { state, ...ended });
    });
  }

  end(status: RunStatus, now: Date): void {
    this.status = status;
    this.endedAt = now.toISOString();
  }

  runView(): RunView {
    const { plan } = this.input;
    return {
      status: this.status,
      jobId: plan.job.id,
      jobName: plan.job.name,
      version: plan.job.version,
      trigger: this.input.trigger,
      // The identity's proof stays in the input: views and results are read by every viewer.
      startedBy: plainIdentity(this.input.startedBy),
      startedAt: this.startedAt,
      ...(this.endedAt ? { endedAt: this.endedAt } : {}),
      ...(this.input.retryOf ? { retryOf: this.input.retryOf } : {}),
      ...(this.input.retriedBy ? { retriedBy: this.input.retriedBy } : {}),
      tasks: this.views,
    };
  }

  result(): RunResult {
    return { ...this.runView(), outputs: this.outputs };
  }

  /** What continue-as-new carries; pending tasks' views are implied. */
  resume(snapshot: MachineSnapshot): RunResume {
    const views: Record<string, TaskView> = {};
    for (const task of this.plan.tasks) {
      const view = this.view(task.id);
      if (view.state !== 'pending') views[task.id] = view;
    }
    return {
      snapshot,
      views,
      outputs: this.outputs,
      startedAt: this.startedAt,
    };
  }

  private update(id: string, change: Partial<TaskView>): void {
    const view = { ...this.view(id), ...change };
    this.views[id] = view;
    this.scopeTasks[id] = { output: this.outputs[id], state: view.state };
  }
}
