/**
 * What the interpreter workflow and its clients (the API, the CLI) exchange: the workflow's input,
 * the live view its query returns, and its result. The workflow and the API never import each
 * other; they share these types instead.
 */
import type { OutputRef } from './outputs';
import type { Plan } from './plan';
import type { RunIdentity } from './run-identity';
import type { MachineSnapshot, TaskState } from './semantics';

/** The query that returns a run's live RunView. */
export const RUN_STATE_QUERY = 'runState';

/** The query that returns what a run holds of one task's output (see RunResult.outputs), by task id. */
export const TASK_OUTPUT_QUERY = 'taskOutput';

export const runTriggers = ['manual', 'schedule', 'retry', 'subjob', 'backfill'] as const;
export type RunTrigger = (typeof runTriggers)[number];

export const runStatuses = [
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Who started a run; tasks use this identity's connections. Scheduled runs carry the job owner. */
export interface Identity {
  id: string;
  name: string;
}

/** A task carried over from an earlier run by retry-from-failure: it is not run again. */
export interface ReusedTask {
  /** What the earlier run holds for it: an OutputRef into the store, or a bounded value. */
  output: unknown;
  /** Its summary in the earlier run's view, shown again in this run's. */
  summary?: unknown;
}

/**
 * What a foreach task that did not succeed leaves for retry-from-failure: the items that did not
 * succeed, and what the ones that did added up to. A retry runs only those items when its items
 * are the same (same `itemsHash`).
 */
export interface ForeachRedrive {
  itemsHash: string;
  total: number;
  /** Item indexes to run again, as [first, last] ranges in ascending order. */
  todo: [number, number][];
  succeeded: number;
  counters: Record<string, number>;
}

export interface RunInput {
  /** The plan; only its header (no tasks, edges or sub-plans) when `planRef` is set. */
  plan: Plan;
  /**
   * Set by the workflow when it continues as new with a big plan: the whole plan is in the
   * OutputStore, so it does not travel again in every continue-as-new input (claim-check).
   */
  planRef?: OutputRef;
  input?: unknown;
  trigger: RunTrigger;
  /** Whose connections the run uses, signed by the API (see run-identity.ts). */
  startedBy: RunIdentity;
  /** Succeeded tasks of the run being retried, by task id, with their output references. */
  reuse?: Record<string, ReusedTask>;
  /** The workflow id of the run this one retries. */
  retryOf?: string;
  /** Foreach tasks of the retried run that run only their items that did not succeed. */
  redrive?: Record<string, ForeachRedrive>;
  /** Who asked for this retry; the run itself keeps the identity of the run it retries. */
  retriedBy?: Identity;
  /**
   * The first run of a chain of retries; tasks' idempotency keys derive from it rather than from
   * this run's own id, so a task re-run by a retry sends the key its first attempt sent.
   */
  retryRoot?: string;
  /**
   * Link to the run in the editor, for the run notification. May contain `{{ run.id }}`, which the
   * workflow fills with its workflow id (a Schedule's action cannot know that id in advance).
   */
  runUrl?: string;
  /** Set by the workflow itself when it continues as new: where the previous execution stopped. */
  resume?: RunResume;
}

/** What a run carries across continue-as-new: no task is running at that point. */
export interface RunResume {
  snapshot: MachineSnapshot;
  /** Views of the tasks that have left `pending`, by task id. */
  views: Record<string, TaskView>;
  /** What the run holds for each task that succeeded (see RunResult.outputs). */
  outputs: Record<string, unknown>;
  startedAt: string;
}

export interface SlowItem {
  item: string;
  ms: number;
}

/** Progress and statistics of a foreach task. */
export interface ForeachProgress {
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Counters the per-item task returned, summed (e.g. added / updated / unchanged). */
  counters: Record<string, number>;
  slowest: SlowItem[];
}

export interface TaskView {
  state: TaskState;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  /** A bounded summary of the output (summaryBytes of the plan's size); the output is in the store. */
  output?: unknown;
  reused?: boolean;
  /**
   * Attempts (or foreach chunks) whose worker was lost and that were dispatched again; they use
   * none of the task's retries (DESIGN.md, "Worker loss").
   */
  workerLost?: number;
  progress?: ForeachProgress;
  /** Set on a foreach that did not succeed, for retry-from-failure. */
  redrive?: ForeachRedrive;
}

export interface RunView {
  status: RunStatus;
  jobId?: string;
  jobName: string;
  version?: number;
  trigger: RunTrigger;
  startedBy: Identity;
  startedAt: string;
  endedAt?: string;
  retryOf?: string;
  retriedBy?: Identity;
  tasks: Record<string, TaskView>;
}

/**
 * The workflow's result: its final view plus, for each task that succeeded, an OutputRef to its
 * output in the OutputStore — or, for tasks whose output is small by construction and not stored
 * (a foreach's statistics, a sub-job's status and output references), that value itself.
 */
export interface RunResult extends RunView {
  outputs: Record<string, unknown>;
}

/** Readable workflow ids: `job-<jobId>-<UTC time>` (DESIGN.md, Temporal mapping). */
export function runWorkflowId(jobId: string, at: Date, suffix?: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `job-${jobId}-${stamp}${suffix ? `-${suffix}` : ''}`;
}

/** The id of a job's Temporal Schedule; Temporal appends the run time to its workflow ids. */
export function scheduleId(jobId: string): string {
  return `job-${jobId}`;
}
