/**
 * Everything a run knows besides the machine's task states: the live view its query returns, the
 * full outputs that templates read, and the template scope. Only plain data, so it crosses
 * continue-as-new as part of the input.
 */
import type {
  ForeachProgress,
  MachineSnapshot,
  Plan,
  RunInput,
  RunResult,
  RunResume,
  RunStatus,
  RunView,
  TaskState,
  TaskView,
  TemplateScope,
} from '@batchgraph/engine';
import { plainIdentity } from '@batchgraph/engine';
import { summarize } from './output';

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

  constructor(
    private readonly input: RunInput,
    workflowId: string,
    now: Date,
  ) {
    const { plan, resume } = input;
    this.startedAt = resume?.startedAt ?? now.toISOString();
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

  output(id: string): unknown {
    return this.outputs[id];
  }

  scope(): TemplateScope {
    return { input: this.input.input, tasks: this.scopeTasks, run: this.runScope };
  }

  started(id: string, now: Date): void {
    this.update(id, { state: 'running', startedAt: now.toISOString(), attempts: 1 });
  }

  succeeded(id: string, output: unknown, now: Date, attempts?: number): void {
    this.outputs[id] = output;
    this.update(id, {
      state: 'succeeded',
      endedAt: now.toISOString(),
      output: summarize(output),
      ...(attempts === undefined ? {} : { attempts }),
    });
  }

  reused(id: string, output: unknown, now: Date): void {
    this.outputs[id] = output;
    const at = now.toISOString();
    this.update(id, {
      state: 'succeeded',
      attempts: 0,
      startedAt: at,
      endedAt: at,
      output: summarize(output),
      reused: true,
    });
  }

  failed(id: string, error: string, attempts: number, now: Date): void {
    this.update(id, { state: 'failed', error, attempts, endedAt: now.toISOString() });
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
