/** Small builders for jobs in tests. */
import { compileJob } from '../src/compile';
import type { Plan } from '../src/plan';
import type { EdgeKind, JobInput } from '../src/schema';
import { simulate, type InjectedFailures, type Simulation } from '../src/simulate';

type TaskInput = JobInput['tasks'][number];

/** A delay task of zero seconds: the cheapest task that still exercises the semantics. */
export function task(
  id: string,
  extra: Partial<Omit<TaskInput, 'type' | 'params'>> = {},
): TaskInput {
  return { id, type: 'delay', params: { seconds: 0 }, ...extra } as TaskInput;
}

export function edge(from: string, to: string, on: EdgeKind = 'success') {
  return { from, to, on };
}

export function job(
  tasks: TaskInput[],
  edges: ReturnType<typeof edge>[] = [],
  more: Partial<JobInput> = {},
): JobInput {
  return { formatVersion: 1, name: 'test job', tasks, edges, ...more };
}

export function planOf(input: unknown): Plan {
  const result = compileJob(input);
  if (!result.ok) throw new Error(`invalid test job: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

export function run(input: unknown, failures: InjectedFailures = {}): Simulation {
  return simulate(planOf(input), failures);
}

export function statesOf(simulation: Simulation): Record<string, string> {
  return Object.fromEntries(Object.entries(simulation.tasks).map(([id, { state }]) => [id, state]));
}

/** Index of a task id in a plan. */
export function indexIn(plan: Plan, id: string): number {
  const index = plan.tasks.findIndex((candidate) => candidate.id === id);
  if (index < 0) throw new Error(`no task ${id}`);
  return index;
}
