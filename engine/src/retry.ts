/**
 * Retry from failure (DESIGN.md, normative): which tasks of a failed run R its retry R′ runs again
 * and which it reuses. Pure, so the API's preview and the retry it starts agree by construction.
 */
import type { Plan, PlanTask } from './plan';
import type { ForeachRedrive, ReusedTask, TaskView } from './run';

/** R′ runs R's version (the default) or the job's current version. */
export const retryVersions = ['failed', 'current'] as const;
export type RetryVersion = (typeof retryVersions)[number];

/** What R leaves behind that the retry can use. */
export interface FailedRun {
  plan: Plan;
  tasks: Record<string, TaskView>;
  outputs: Record<string, unknown>;
}

export interface RetryPlan {
  /** Tasks of the plan R′ runs that execute again, in plan order. */
  rerun: string[];
  /** Tasks R′ marks succeeded with R's outputs, in plan order. */
  reused: string[];
  /** Foreach tasks among `rerun` that run only the items that did not succeed in R. */
  redriven: string[];
  reuse: Record<string, ReusedTask>;
  redrive: Record<string, ForeachRedrive>;
}

/** JSON with object keys sorted, so that equal params compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

function unchanged(before: PlanTask, after: PlanTask): boolean {
  return before.type === after.type && canonical(before.params) === canonical(after.params);
}

/** Task ids reachable from `seeds` (themselves included) over the edges of every plan given. */
function reachable(seeds: Iterable<string>, plans: Plan[]): Set<string> {
  const next = new Map<string, string[]>();
  for (const plan of plans) {
    for (const edge of plan.edges) {
      const from = plan.tasks[edge.from]!.id;
      next.set(from, [...(next.get(from) ?? []), plan.tasks[edge.to]!.id]);
    }
  }
  const seen = new Set<string>();
  const stack = [...seeds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return seen;
}

/**
 * The re-run set of retrying `failed` with `target` (R's own plan, or the job's current one): every
 * task of R that did not succeed, every task of `target` that R did not run unchanged (same id,
 * type and params), and every task reachable from those by any edge of either plan. All other
 * tasks are reused with R's outputs.
 */
export function retryPlan(failed: FailedRun, target: Plan): RetryPlan {
  const before = new Map(failed.plan.tasks.map((task) => [task.id, task]));
  const seeds = new Set<string>();
  for (const task of failed.plan.tasks) {
    if (failed.tasks[task.id]?.state !== 'succeeded') seeds.add(task.id);
  }
  for (const task of target.tasks) {
    const old = before.get(task.id);
    if (!old || !unchanged(old, task)) seeds.add(task.id);
  }
  const again = reachable(seeds, [failed.plan, target]);
  const plan: RetryPlan = { rerun: [], reused: [], redriven: [], reuse: {}, redrive: {} };
  for (const task of target.tasks) {
    const old = before.get(task.id);
    const view = failed.tasks[task.id];
    if (!again.has(task.id)) {
      plan.reused.push(task.id);
      plan.reuse[task.id] = {
        output: failed.outputs[task.id],
        summary: failed.tasks[task.id]?.output,
      };
      continue;
    }
    plan.rerun.push(task.id);
    // A foreach whose params are unchanged keeps the items that succeeded in R; the workflow
    // checks that the items themselves are the same before it skips any.
    if (task.type === 'foreach' && old && unchanged(old, task) && view?.redrive) {
      plan.redriven.push(task.id);
      plan.redrive[task.id] = view.redrive;
    }
  }
  return plan;
}
