/**
 * What the interpreter workflow and its clients (the API, the CLI) exchange: the workflow's input,
 * the live view its query returns, and its result. The workflow and the API never import each
 * other; they share these types instead.
 */
import type { Plan } from './plan';
import type { RunIdentity } from './run-identity';
import type { MachineSnapshot, TaskState } from './semantics';

/** The query that returns a run's live RunView. */
export const RUN_STATE_QUERY = 'runState';

/** Outputs bigger than this are refused with a task error instead of breaking Temporal's payload limit. */
export const MAX_TASK_OUTPUT_BYTES = 256 * 1024;

/** The bounded summary of an output that a RunView carries. */
export const MAX_OUTPUT_SUMMARY_BYTES = 4 * 1024;

export const runTriggers = ['manual', 'schedule', 'retry', 'subjob', 'backfill'] as const;
export type RunTrigger = (typeof runTriggers)[number];

export const runStatuses = ['running', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Who started a run; tasks use this identity's connections. Scheduled runs carry the job owner. */
export interface Identity {
  id: string;
  name: string;
}

/** A task carried over from an earlier run by retry-from-failure: it is not run again. */
export interface ReusedTask {
  output: unknown;
}

export interface RunInput {
  plan: Plan;
  input?: unknown;
  trigger: RunTrigger;
  /** Whose connections the run uses, signed by the API (see run-identity.ts). */
  startedBy: RunIdentity;
  /** Succeeded tasks of the run being retried, by task id, with their outputs. */
  reuse?: Record<string, ReusedTask>;
  /** The workflow id of the run this one retries. */
  retryOf?: string;
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
  /** Full outputs of the tasks that succeeded, by task id. */
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
  /** A bounded summary of the output (MAX_OUTPUT_SUMMARY_BYTES). */
  output?: unknown;
  reused?: boolean;
  progress?: ForeachProgress;
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
  tasks: Record<string, TaskView>;
}

/** The workflow's result: its final view plus the full outputs of the tasks that succeeded. */
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
