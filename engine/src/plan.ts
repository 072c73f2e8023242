/**
 * The execution plan: what the interpreter workflow runs. It is the compiled, normalized form of one
 * job version (defaults resolved, ids turned into indexes, retry policies spelled out), versioned so
 * that a running workflow and a newer engine agree on what it means. Kept lean because it travels
 * as the workflow's input (and again at every continue-as-new); adjacency is derived at run time.
 */
import type { TaskType } from './params';
import type { EdgeKind, JoinKind, NotifySettings } from './schema';

export const PLAN_VERSION = 1;

export interface PlanRetry {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
}

export interface PlanTask {
  id: string;
  name: string;
  type: TaskType;
  /** Params as written, templates unresolved: they are rendered when the task starts. */
  params: unknown;
  join: JoinKind;
  ignoreFailure: boolean;
  retry: PlanRetry;
  timeoutMs: number;
  taskQueue: string;
}

export interface PlanEdge {
  from: number;
  to: number;
  on: EdgeKind;
}

export interface Plan {
  planVersion: typeof PLAN_VERSION;
  job: { id?: string; name: string; version?: number };
  tasks: PlanTask[];
  edges: PlanEdge[];
  maxParallel: number;
  taskQueue: string;
  notify?: NotifySettings;
  /** Compiled plans of the jobs that `subjob` tasks run, by task id. */
  subplans: Record<string, Plan>;
}
