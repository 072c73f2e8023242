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
  RunIdentity,
  RunView,
  SlowItem,
} from '@batchgraph/engine';

/** Every task activity gets its rendered params and who it runs for. */
export interface TaskInput<P> {
  /** The run's workflow id. */
  runId: string;
  jobId?: string;
  taskId: string;
  startedBy: RunIdentity;
  params: P;
}

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
  jobId?: string;
  taskId: string;
  startedBy: RunIdentity;
  itemTask: ItemTask;
  items: unknown[];
  /** Position of the first item of this slice in the whole list. */
  offset: number;
  concurrency: number;
  itemRetries: number;
  slowest: number;
}

export type ForeachChunkResult = Omit<ForeachProgress, 'total' | 'done'> & {
  /** The first few item failures, for the task's error message. */
  failures: { item: string; error: string }[];
};

/** The list a foreach iterates over, read from an HTTP JSON source. */
export interface ForeachItemsInput {
  runId: string;
  taskId: string;
  startedBy: RunIdentity;
  source: { http: HttpParams; path?: string };
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
  http(input: TaskInput<HttpParams>): Promise<HttpOutput>;
  command(input: TaskInput<CommandParams>): Promise<CommandOutput>;
  notify(input: TaskInput<NotifyParams>): Promise<NotifyOutput>;
  foreach(input: ForeachChunkInput): Promise<ForeachChunkResult>;
  foreachItems(input: ForeachItemsInput): Promise<unknown[]>;
  notifyRun(input: RunNotificationInput): Promise<void>;
}

export type { SlowItem };
