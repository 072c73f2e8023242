/**
 * The run semantics of DESIGN.md as a pure state machine. Told "task X finished with state S", it
 * says which tasks start next (at most maxParallel running, ties in the job file's order), which
 * are skipped, and the run's outcome. The simulator and the Temporal workflow both drive this one
 * class, so they cannot disagree. Deterministic, allocation-light, and resumable from a snapshot
 * (for continue-as-new).
 */
import type { Plan, PlanEdge } from './plan';

export const taskStates = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type TaskState = (typeof taskStates)[number];
export type FinishedState = 'succeeded' | 'failed';
export type RunOutcome = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What a machine needs to carry on elsewhere: the state of every task, by index. */
export interface MachineSnapshot {
  states: TaskState[];
  cancelled: boolean;
}

export class SemanticsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SemanticsError';
  }
}

export function isFinal(state: TaskState): boolean {
  return state !== 'pending' && state !== 'running';
}

/** Rule 1: whether a finished source satisfies an edge. */
export function satisfies(edge: PlanEdge, source: TaskState): boolean {
  switch (edge.on) {
    case 'success':
      return source === 'succeeded';
    case 'failure':
      return source === 'failed';
    case 'always':
      return source === 'succeeded' || source === 'failed';
  }
}

/**
 * Rule 7, how a failure of a task is taken: `ignored` (ignoreFailure), `handled` (it has an
 * outgoing failure edge; an always edge does not handle it), or `fails-run`.
 */
export type FailureHandling = 'ignored' | 'handled' | 'fails-run';

export function failureHandling(ignoreFailure: boolean, hasFailureEdge: boolean): FailureHandling {
  if (ignoreFailure) return 'ignored';
  return hasFailureEdge ? 'handled' : 'fails-run';
}

export class RunMachine {
  private readonly states: TaskState[];
  private readonly incoming: number[][];
  private readonly outgoing: number[][];
  private readonly handlesFailure: boolean[];
  /** Incoming edges whose source is final, and those of them that it satisfied. */
  private readonly resolved: Uint32Array;
  private readonly satisfied: Uint32Array;
  private readonly ready = new IndexHeap();
  private running = 0;
  private unfinished: number;
  private cancelled: boolean;

  constructor(
    private readonly plan: Plan,
    snapshot?: MachineSnapshot,
  ) {
    const size = plan.tasks.length;
    this.incoming = Array.from({ length: size }, () => []);
    this.outgoing = Array.from({ length: size }, () => []);
    this.handlesFailure = new Array<boolean>(size).fill(false);
    plan.edges.forEach((edge, index) => {
      this.incoming[edge.to]!.push(index);
      this.outgoing[edge.from]!.push(index);
      if (edge.on === 'failure') this.handlesFailure[edge.from] = true;
    });
    this.resolved = new Uint32Array(size);
    this.satisfied = new Uint32Array(size);
    this.states = snapshot ? [...snapshot.states] : new Array<TaskState>(size).fill('pending');
    this.cancelled = snapshot?.cancelled ?? false;
    if (this.states.length !== size) {
      throw new SemanticsError(`snapshot has ${this.states.length} tasks, the plan ${size}`);
    }
    this.unfinished = this.states.filter((state) => !isFinal(state)).length;
    this.running = this.states.filter((state) => state === 'running').length;
    for (const edge of plan.edges) {
      const source = this.states[edge.from]!;
      if (!isFinal(source)) continue;
      this.resolved[edge.to]! += 1;
      if (satisfies(edge, source)) this.satisfied[edge.to]! += 1;
    }
    for (let task = 0; task < size; task++) {
      if (this.evaluate(task) === 'skipped') this.propagate(task);
    }
  }

  get size(): number {
    return this.plan.tasks.length;
  }

  state(task: number): TaskState {
    const state = this.states[task];
    if (state === undefined) throw new SemanticsError(`there is no task ${task}`);
    return state;
  }

  /** Every task's state, by index (a copy). */
  snapshot(): MachineSnapshot {
    return { states: [...this.states], cancelled: this.cancelled };
  }

  get runningCount(): number {
    return this.running;
  }

  /** Tasks that may start now, in the job file's order, up to maxParallel running; marks them running. */
  startReady(): number[] {
    const started: number[] = [];
    while (!this.cancelled && this.running < this.plan.maxParallel && this.ready.size > 0) {
      const task = this.ready.pop();
      this.states[task] = 'running';
      this.running += 1;
      started.push(task);
    }
    return started;
  }

  /** Records the final state of a running task and propagates it along its outgoing edges. */
  finish(task: number, state: FinishedState): void {
    const current = this.state(task);
    if (this.cancelled && current === 'cancelled') return;
    if (current !== 'running') {
      throw new SemanticsError(`task '${this.plan.tasks[task]!.id}' is ${current}, not running`);
    }
    this.states[task] = state;
    this.running -= 1;
    this.unfinished -= 1;
    this.propagate(task);
  }

  /** Cancels the run: running tasks end cancelled, tasks that never started end skipped. */
  cancel(): void {
    if (this.cancelled || this.isFinished) return;
    this.cancelled = true;
    this.ready.clear();
    for (let task = 0; task < this.states.length; task++) {
      const state = this.states[task]!;
      if (state === 'running') this.states[task] = 'cancelled';
      else if (state === 'pending') this.states[task] = 'skipped';
    }
    this.running = 0;
    this.unfinished = 0;
  }

  get isFinished(): boolean {
    return this.unfinished === 0;
  }

  /** Rule 7: the run's outcome, or `running` while any task is unfinished. */
  get outcome(): RunOutcome {
    if (this.cancelled) return 'cancelled';
    if (!this.isFinished) return 'running';
    return this.states.some((state, task) => state === 'failed' && this.failsRun(task))
      ? 'failed'
      : 'succeeded';
  }

  /** Whether a failure of this task fails the run (rule 7): not ignored and not handled by an edge. */
  failsRun(task: number): boolean {
    const { ignoreFailure } = this.plan.tasks[task]!;
    return failureHandling(ignoreFailure, this.handlesFailure[task]!) === 'fails-run';
  }

  private propagate(source: number): void {
    const pending = [source];
    while (pending.length > 0) {
      const from = pending.pop()!;
      const state = this.states[from]!;
      for (const edgeIndex of this.outgoing[from]!) {
        const edge = this.plan.edges[edgeIndex]!;
        this.resolved[edge.to]! += 1;
        if (satisfies(edge, state)) this.satisfied[edge.to]! += 1;
        if (this.evaluate(edge.to) === 'skipped') pending.push(edge.to);
      }
    }
  }

  /** Rules 2–4 for a pending task: queue it when it may start, skip it when it never can. */
  private evaluate(task: number): TaskState | undefined {
    if (this.states[task] !== 'pending' || this.ready.has(task)) return undefined;
    const total = this.incoming[task]!.length;
    const resolved = this.resolved[task]!;
    const satisfied = this.satisfied[task]!;
    const canStart =
      this.plan.tasks[task]!.join === 'any' && total > 0 ? satisfied > 0 : satisfied === total;
    const cannotStart =
      this.plan.tasks[task]!.join === 'any' && total > 0
        ? resolved === total && satisfied === 0
        : resolved > satisfied;
    if (canStart) {
      this.ready.push(task);
      return 'pending';
    }
    if (cannotStart) {
      this.states[task] = 'skipped';
      this.unfinished -= 1;
      return 'skipped';
    }
    return undefined;
  }
}

/** A binary min-heap of task indexes: ready tasks start in the job file's order (rule 6). */
class IndexHeap {
  private readonly items: number[] = [];
  private readonly members = new Set<number>();

  get size(): number {
    return this.items.length;
  }

  has(task: number): boolean {
    return this.members.has(task);
  }

  clear(): void {
    this.items.length = 0;
    this.members.clear();
  }

  push(task: number): void {
    this.members.add(task);
    const items = this.items;
    let child = items.push(task) - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (items[parent]! <= task) break;
      items[child] = items[parent]!;
      child = parent;
    }
    items[child] = task;
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    this.members.delete(top);
    if (items.length === 0) return top;
    let parent = 0;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && items[child + 1]! < items[child]!) child += 1;
      if (items[child]! >= last) break;
      items[parent] = items[child]!;
      parent = child;
    }
    items[parent] = last;
    return top;
  }
}
