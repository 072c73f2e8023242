/**
 * The activities' signatures: what the interpreter workflow sends each task type and what comes
 * back. The workflow imports only these types (Temporal's proxyActivities), never the code.
 * Activity type = task type, so Temporal UI reads like the graph.
 */
import type {
  CommandParams,
  ForeachProgress,
  HttpParams,
  ItemTask,
  NotifySettings,
  NotifyParams,
  OutputRef,
  Plan,
  RunIdentity,
  RunView,
  SlowItem,
  StoredOutput,
  TaskScopeEntry,
} from '@batchgraph/engine';

/** Every task activity gets its params and who it runs for. */
export interface TaskInput<P> {
  /** The run's workflow id. */
  runId: string;
  /**
   * The run that idempotency keys derive from when not this one: the first run of a chain of
   * retries-from-failure, so that a task re-run by a retry sends the key it sent before.
   */
  keyRunId?: string;
  jobId?: string;
  taskId: string;
  startedBy: RunIdentity;
  /** Rendered but for `{{ tasks.<id>… }}` templates when `tasks` is set: the activity renders those. */
  params: P;
  /** The tasks those templates name: state and output (a value or a reference into the store). */
  tasks?: Record<string, TaskScopeEntry>;
  /**
   * Set by the interpreter: the activity stores its output in the OutputStore and returns a
   * StoredOutput whose summary fits this many bytes. Unset (older workflows, direct calls): the
   * output itself.
   */
  summaryBytes?: number;
}

/** What a task activity returns: a StoredOutput when the input asked for one, else the output. */
export type TaskResult<I, T> = I extends { summaryBytes: number } ? StoredOutput : T;

/** A task activity's signature. */
export type TaskActivity<P, T> = <I extends TaskInput<P>>(input: I) => Promise<TaskResult<I, T>>;

export interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, else text. */
  body: unknown;
}

export interface CommandOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface NotifyOutput {
  emailed: string[];
  webhookStatus?: number;
}

/** One slice of a foreach's items; the per-item task still holds its `{{ item }}` templates. */
export interface ForeachChunkInput {
  runId: string;
  /** As in TaskInput. */
  keyRunId?: string;
  jobId?: string;
  taskId: string;
  startedBy: RunIdentity;
  /** May hold `{{ tasks.<id>… }}` templates still, rendered from `tasks` (see TaskInput.tasks). */
  itemTask: ItemTask;
  tasks?: Record<string, TaskScopeEntry>;
  /** The slice's items; empty when they are read from `stored` instead. */
  items: unknown[];
  /** The slice in the OutputStore, for lists read from a source or an earlier task's output. */
  stored?: StoredChunk;
  /** Position of the first item of this slice in the whole list. */
  offset: number;
  concurrency: number;
  itemRetries: number;
  slowest: number;
}

export type ForeachChunkResult = Omit<ForeachProgress, 'total' | 'done'> & {
  /** The first few item failures, for the task's error message. */
  failures: { item: string; error: string }[];
  /** Every item that failed, for retry-from-failure: a bitmap over the chunk (engine item-bits). */
  failedBits?: string;
  /** The same as positions in the whole list, as workers of an earlier release sent it. */
  failedItems?: number[];
};

/** The list a foreach iterates over, read from an HTTP JSON source. */
export interface ForeachItemsInput {
  runId: string;
  /** As in TaskInput. */
  keyRunId?: string;
  taskId: string;
  startedBy: RunIdentity;
  /** An HTTP JSON source, or (with chunking) the items' own template, e.g. `{{ tasks.x.output.ids }}`. */
  source: { http: HttpParams; path?: string } | { template: unknown };
  /** The tasks the source's `{{ tasks.<id>… }}` templates name (see TaskInput.tasks). */
  tasks?: Record<string, TaskScopeEntry>;
  /** Set by the interpreter: store the list and return ForeachItemsStored, chunked like this. */
  chunking?: ForeachChunking;
}

export interface ForeachChunking {
  maxItems: number;
  maxBytes: number;
}

/** A foreach's item list in the OutputStore, one stored slice per chunk. */
export interface ForeachItemsStored {
  count: number;
  chunks: StoredChunk[];
}

export interface StoredChunk {
  /** Position of the chunk's first item in the whole list. */
  offset: number;
  count: number;
  items: OutputRef;
}

export interface RenderParamsInput {
  runId: string;
  taskId: string;
  params: unknown;
  tasks: Record<string, TaskScopeEntry>;
}

/** The run-completion notification of the job settings (sent once per run). */
export interface RunNotificationInput {
  runId: string;
  view: RunView;
  notify: NotifySettings;
  /** Link to the run in the editor. */
  runUrl: string;
}

export interface Activities {
  http: TaskActivity<HttpParams, HttpOutput>;
  command: TaskActivity<CommandParams, CommandOutput>;
  notify: TaskActivity<NotifyParams, NotifyOutput>;
  foreach(input: ForeachChunkInput): Promise<ForeachChunkResult>;
  /** The list itself, or ForeachItemsStored when the input asks for chunking. */
  foreachItems(input: ForeachItemsInput): Promise<unknown[] | ForeachItemsStored>;
  /** Stores a big plan before continue-as-new, and loads it in the run that follows. */
  storePlan(input: { runId: string; plan: Plan }): Promise<OutputRef>;
  loadPlan(input: { ref: OutputRef }): Promise<Plan>;
  /** Renders params whose `{{ tasks.<id>… }}` templates the workflow needs (a sub-job's input). */
  renderParams(input: RenderParamsInput): Promise<unknown>;
  notifyRun(input: RunNotificationInput): Promise<void>;
}

export type { SlowItem };
