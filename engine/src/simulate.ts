/**
 * Runs a plan through the semantics with no real work: every attempt takes one tick and succeeds,
 * except that a task given N failures fails its first N attempts. Tasks finishing on the same tick
 * are recorded in the job file's order, then whatever they made ready starts.
 */
import type { Plan } from './plan';
import {
  RunMachine,
  SemanticsError,
  type FinishedState,
  type RunOutcome,
  type TaskState,
} from './semantics';

/** Attempts that fail, by task id; `Infinity` (or anything ≥ the attempts allowed) fails the task. */
export type InjectedFailures = Record<string, number>;

export interface SimulatedTask {
  state: TaskState;
  attempts: number;
}

export interface Simulation {
  outcome: Exclude<RunOutcome, 'running'>;
  tasks: Record<string, SimulatedTask>;
  /** Task ids in the order they started. */
  order: string[];
}

export function simulate(plan: Plan, failures: InjectedFailures = {}): Simulation {
  const machine = new RunMachine(plan);
  const attempts = new Array<number>(plan.tasks.length).fill(0);
  const results = new Array<FinishedState>(plan.tasks.length);
  const due = new Map<number, number[]>();
  const order: string[] = [];
  let now = 0;

  const startReady = () => {
    for (const task of machine.startReady()) {
      const { id, retry } = plan.tasks[task]!;
      // Own keys only: a task may be called "constructor" or "__proto__".
      const failing = Object.hasOwn(failures, id) ? failures[id]! : 0;
      attempts[task] = Math.min(retry.maximumAttempts, failing + 1);
      results[task] = failing >= retry.maximumAttempts ? 'failed' : 'succeeded';
      const end = now + attempts[task]!;
      const finishing = due.get(end);
      if (finishing) finishing.push(task);
      else due.set(end, [task]);
      order.push(id);
    }
  };

  startReady();
  while (!machine.isFinished) {
    if (due.size === 0)
      throw new SemanticsError('no task is running, yet the run has not finished');
    now += 1;
    const finishing = due.get(now);
    if (!finishing) continue;
    due.delete(now);
    for (const task of finishing.sort((a, b) => a - b)) machine.finish(task, results[task]!);
    startReady();
  }

  // fromEntries defines own properties, so even a task called "__proto__" is listed.
  const tasks: Record<string, SimulatedTask> = Object.fromEntries(
    plan.tasks.map((task, index) => [
      task.id,
      { state: machine.state(index), attempts: attempts[index]! },
    ]),
  );
  return { outcome: machine.outcome as Simulation['outcome'], tasks, order };
}
