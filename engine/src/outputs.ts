/**
 * Task outputs as a run carries them (DESIGN.md, Data and limits): the output itself lives in an
 * OutputStore, outside Temporal's history; the workflow's state, query, result and continue-as-new
 * input hold only an OutputRef and a bounded summary. Pure: the workflow bundle imports this too
 * (hence UTF-8 lengths counted by hand; the sandbox need not have TextEncoder).
 */
import type { TaskState } from './semantics';

/** Where a store keeps one output: the attempt of a task of a run (run id = the workflow id). */
export interface OutputKey {
  runId: string;
  /** The task id, or `<task>#items` for the item list a foreach read from its source. */
  taskId: string;
  attempt: number;
}

/** A stored output, as workflow state holds it. */
export interface OutputRef {
  outputRef: OutputKey;
  /** Size of the output's JSON, in UTF-8 bytes. */
  bytes: number;
}

/**
 * What a task activity returns instead of its output: a reference to the stored output and its
 * bounded summary — or, for an output that fits the summary whole, no reference (nothing stored:
 * the summary is the output, and the run holds it as it is).
 */
export interface StoredOutput {
  ref: OutputRef | null;
  /** The output itself when it fits the run's summary size, else a TruncatedOutput. */
  summary: unknown;
}

export function isStoredOutput(value: unknown): value is StoredOutput {
  if (typeof value !== 'object' || value === null || !('summary' in value)) return false;
  const { ref } = value as { ref?: unknown };
  return (ref === null || isOutputRef(ref)) && Object.keys(value).length === 2;
}

/**
 * Keeps task outputs outside the workflow history. Locally MongoDB (`task_outputs`); an object
 * store implements it with one object per key (`<runId>/<taskId>/<attempt>.json`), since outputs
 * are written once per attempt and read whole. Values are JSON text, so any store of bytes will do.
 */
export interface OutputStore {
  /** Stores an output's JSON text under the key, replacing an earlier write of the same key. */
  put(key: OutputKey, json: string): Promise<void>;
  /** The JSON text stored under the key; undefined when there is none (never stored, deleted). */
  get(key: OutputKey): Promise<string | undefined>;
  /** Removes every output of a run (retention). */
  deleteRun(runId: string): Promise<void>;
}

/**
 * What an activity that renders `{{ tasks.<id>… }}` templates gets for each task its params name:
 * the task's state and its output, either the value itself (when the run knows it whole) or an
 * OutputRef the activity loads from the store. OutputRefs may also sit deeper inside a value (a
 * sub-job's `outputs`); rendering loads those along the paths the templates walk.
 */
export interface TaskScopeEntry {
  state: TaskState;
  output?: unknown;
}

export function isOutputRef(value: unknown): value is OutputRef {
  if (typeof value !== 'object' || value === null) return false;
  const { outputRef, bytes } = value as Partial<OutputRef>;
  return (
    typeof bytes === 'number' &&
    typeof outputRef === 'object' &&
    outputRef !== null &&
    typeof outputRef.runId === 'string' &&
    typeof outputRef.taskId === 'string' &&
    typeof outputRef.attempt === 'number'
  );
}

/** The default of BATCHGRAPH_MAX_TASK_OUTPUT_BYTES. */
export const DEFAULT_MAX_TASK_OUTPUT_BYTES = 16 * 1024 * 1024;

/** The most of an output's summary one task's view carries. */
export const MAX_OUTPUT_SUMMARY_BYTES = 4 * 1024;

/** The least: small outputs (a status, an id) stay readable in the view of a big run. */
export const MIN_OUTPUT_SUMMARY_BYTES = 128;

/** What all summaries of a run's view may add up to, so its query answer stays far below 2 MB. */
export const RUN_SUMMARY_BUDGET_BYTES = 256 * 1024;

/** The summary size of each task of a plan with `taskCount` tasks. */
export function summaryBytes(taskCount: number): number {
  const share = Math.floor(RUN_SUMMARY_BUDGET_BYTES / Math.max(1, taskCount));
  return Math.max(MIN_OUTPUT_SUMMARY_BYTES, Math.min(MAX_OUTPUT_SUMMARY_BYTES, share));
}

export interface TruncatedOutput {
  truncated: true;
  /** Size of the whole output as JSON, in bytes. */
  bytes: number;
  /** The beginning of the output's JSON. */
  preview: string;
}

export function isTruncatedOutput(value: unknown): value is TruncatedOutput {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<TruncatedOutput>).truncated === true &&
    typeof (value as Partial<TruncatedOutput>).preview === 'string'
  );
}

/** Bytes and UTF-16 units of the character at `index` (a surrogate pair counts as one). */
function charAt(text: string, index: number): { bytes: number; units: number } {
  const code = text.charCodeAt(index);
  if (code < 0x80) return { bytes: 1, units: 1 };
  if (code < 0x800) return { bytes: 2, units: 1 };
  if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) return { bytes: 4, units: 2 };
  return { bytes: 3, units: 1 };
}

/** UTF-8 length of a string. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length;) {
    const char = charAt(text, index);
    bytes += char.bytes;
    index += char.units;
  }
  return bytes;
}

/** The longest prefix of a string whose UTF-8 encoding fits `maxBytes`. */
export function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const char = charAt(text, index);
    if (bytes + char.bytes > maxBytes) break;
    bytes += char.bytes;
    index += char.units;
  }
  return text.slice(0, index);
}

/** Size of a value as JSON, in UTF-8 bytes (`undefined` is 0). */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : utf8Length(json);
}

/**
 * The value itself when its JSON fits `maxBytes`, else the start of its JSON. `json` and `bytes`
 * may be passed when the caller has them already (an activity that just serialized the output).
 */
export function summarize(
  value: unknown,
  maxBytes = MAX_OUTPUT_SUMMARY_BYTES,
  json = JSON.stringify(value),
  bytes = json === undefined ? 0 : utf8Length(json),
): unknown {
  if (json === undefined) return undefined;
  if (bytes <= maxBytes) return value;
  // Leaves room for the wrapper and the JSON escaping of the preview itself.
  const preview = utf8Prefix(json, Math.max(16, maxBytes / 2 - 64));
  const summary: TruncatedOutput = { truncated: true, bytes, preview };
  return summary;
}
