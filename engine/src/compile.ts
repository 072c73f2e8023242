/**
 * compile(job) → plan: resolves defaults, replaces task ids by indexes and spells out each task's
 * Temporal retry policy, timeout and task queue.
 */
import { PLAN_VERSION, type Plan, type PlanRetry, type PlanTask } from './plan';
import type { Job, Task } from './schema';
import { validateJob, type ValidationResult } from './validate';
import type { Problem } from './problems';

export const DEFAULT_TASK_QUEUE = 'batchgraph';
export const DEFAULT_TIMEOUT_SECONDS = 3600;
export const DEFAULT_MAX_PARALLEL = 10;

export interface CompileOptions {
  jobId?: string;
  version?: number;
  /** The queue of tasks that name none, when the job's settings name none either. */
  taskQueue?: string;
  /** Compiled plans of the jobs that the job's `subjob` tasks run, by task id. */
  subplans?: Record<string, Plan>;
}

/** Compiles a job that has passed validation. */
export function compile(job: Job, options: CompileOptions = {}): Plan {
  const taskQueue = job.settings?.taskQueue ?? options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const indexOf = new Map(job.tasks.map((task, index) => [task.id, index]));
  return {
    planVersion: PLAN_VERSION,
    job: { id: options.jobId, name: job.name, version: options.version },
    tasks: job.tasks.map((task) => planTask(task, taskQueue)),
    edges: job.edges.map((edge) => ({
      from: indexOf.get(edge.from)!,
      to: indexOf.get(edge.to)!,
      on: edge.on,
    })),
    maxParallel: job.settings?.maxParallel ?? DEFAULT_MAX_PARALLEL,
    taskQueue,
    notify: job.settings?.notify,
    subplans: options.subplans ?? {},
  };
}

export type CompileResult =
  | { ok: true; plan: Plan; job: Job; warnings: Problem[] }
  | { ok: false; errors: Problem[]; warnings: Problem[] };

/** Validates any input and compiles it when it is a valid job. Never throws on bad input. */
export function compileJob(input: unknown, options: CompileOptions = {}): CompileResult {
  const result: ValidationResult = validateJob(input);
  if (!result.ok) return result;
  return {
    ok: true,
    job: result.job,
    plan: compile(result.job, options),
    warnings: result.warnings,
  };
}

function planTask(task: Task, defaultQueue: string): PlanTask {
  return {
    id: task.id,
    name: task.name ?? task.id,
    type: task.type,
    params: task.params,
    join: task.join ?? 'all',
    ignoreFailure: task.ignoreFailure ?? false,
    retry: retryPolicy(task),
    timeoutMs: Math.round((task.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000),
    taskQueue: task.taskQueue ?? defaultQueue,
  };
}

function retryPolicy(task: Task): PlanRetry {
  const initialSeconds = task.retryBackoff?.initialSeconds ?? 1;
  return {
    maximumAttempts: 1 + (task.retries ?? 0),
    initialIntervalMs: Math.round(initialSeconds * 1000),
    backoffCoefficient: task.retryBackoff?.coefficient ?? 2,
    // Temporal's own default cap: a hundred times the first interval.
    maximumIntervalMs: Math.round((task.retryBackoff?.maxSeconds ?? initialSeconds * 100) * 1000),
  };
}
