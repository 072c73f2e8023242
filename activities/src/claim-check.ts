/**
 * The claim-check (DESIGN.md, Data and limits): task activities resolve the `{{ tasks.<id>… }}`
 * templates of their params here, loading the outputs they name from the OutputStore, and store
 * their own output there, returning only a StoredOutput (reference + bounded summary) to the
 * workflow. Nothing big enters Temporal's history.
 */
import {
  collectTemplates,
  isOutputRef,
  renderTemplates,
  summarize,
  templateErrorMessage,
  TemplateError,
  type OutputKey,
  type OutputRef,
  type OutputStore,
  type StoredOutput,
  type TaskScopeEntry,
  type TemplateRoot,
} from '@batchgraph/engine';
import { outputTooLarge } from './bounded';
import { finalFailure, retryableFailure } from './errors';

export interface ClaimCheckDeps {
  store?: OutputStore;
  /** BATCHGRAPH_MAX_TASK_OUTPUT_BYTES. */
  maxOutputBytes: number;
}

function requireStore(deps: ClaimCheckDeps): OutputStore {
  if (!deps.store) {
    throw finalFailure('This worker has no output store (MONGODB_URI)', 'NotConfigured');
  }
  return deps.store;
}

function describeKey(key: OutputKey): string {
  return `the output of ${key.taskId} (run ${key.runId}, attempt ${key.attempt})`;
}

/** Loads stored outputs once each, however many templates name them. */
class OutputLoader {
  private readonly loaded = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ClaimCheckDeps) {}

  load(ref: OutputRef): Promise<unknown> {
    const { runId, taskId, attempt } = ref.outputRef;
    const id = JSON.stringify([runId, taskId, attempt]);
    let value = this.loaded.get(id);
    if (!value) {
      value = this.read(ref.outputRef);
      this.loaded.set(id, value);
    }
    return value;
  }

  private async read(key: OutputKey): Promise<unknown> {
    let json: string | undefined;
    try {
      json = await requireStore(this.deps).get(key);
    } catch (cause) {
      throw retryableFailure(
        `Could not read ${describeKey(key)} from the output store`,
        'NetworkError',
        {
          cause,
        },
      );
    }
    if (json === undefined) {
      throw finalFailure(`${describeKey(key)} is no longer in the output store`, 'BadParams');
    }
    return JSON.parse(json) as unknown;
  }
}

/** One stored output, read back. */
export function loadStored(deps: ClaimCheckDeps, ref: OutputRef): Promise<unknown> {
  return new OutputLoader(deps).load(ref);
}

function isContainer(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The `tasks` scope with every OutputRef on the paths the templates walk replaced by its output.
 * Copies only what it replaces into, so the caller's entries stay as they were.
 */
async function materialize(
  tasks: Record<string, TaskScopeEntry>,
  paths: (string | number)[][],
  loader: OutputLoader,
): Promise<Record<string, unknown>> {
  const root: Record<string, unknown> = { ...tasks };
  const copied = new Set<unknown>([root]);
  for (const path of paths) {
    let parent: Record<string | number, unknown> = root;
    for (const segment of path) {
      let child = Object.hasOwn(parent, segment) ? parent[segment] : undefined;
      if (isOutputRef(child)) {
        child = await loader.load(child);
        parent[segment] = child;
        copied.add(child);
      } else if (isContainer(child) && !copied.has(child)) {
        child = Array.isArray(child) ? [...(child as unknown[])] : { ...child };
        parent[segment] = child;
        copied.add(child);
      }
      if (!isContainer(child)) break;
      parent = child;
    }
  }
  return root;
}

/** Roots the workflow renders (`input`, `run`) or a foreach item does later (`item`). */
const RENDERED_ELSEWHERE: readonly TemplateRoot[] = ['input', 'run', 'item'];

/**
 * Params with their `{{ tasks.<id>… }}` templates rendered from `tasks`; other roots stay as they
 * are. A path with no value fails the task at once: rendering again would find the same.
 */
export async function renderTaskTemplates<P>(
  deps: ClaimCheckDeps,
  params: P,
  tasks: Record<string, TaskScopeEntry> | undefined,
): Promise<P> {
  if (tasks === undefined) return params;
  const paths = collectTemplates(params)
    .filter((reference) => reference.root === 'tasks')
    .map((reference) => reference.path);
  if (paths.length === 0) return params;
  const scope = await materialize(tasks, paths, new OutputLoader(deps));
  try {
    return renderTemplates(params, { tasks: scope }, { keep: RENDERED_ELSEWHERE }) as P;
  } catch (error) {
    if (error instanceof TemplateError)
      throw finalFailure(templateErrorMessage(error), 'BadParams');
    throw error;
  }
}

/**
 * Stores an output under its key and returns the reference and a summary of `summaryBytes`; an
 * output that fits the summary whole is not stored (a store write would cost more than the task's
 * own bookkeeping). An output over BATCHGRAPH_MAX_TASK_OUTPUT_BYTES fails the task, naming the limit.
 */
export async function storeOutput(
  deps: ClaimCheckDeps,
  key: OutputKey,
  output: unknown,
  summaryBytes: number,
): Promise<StoredOutput> {
  const json = serialize(deps, key, output);
  const bytes = Buffer.byteLength(json, 'utf8');
  const summary = summarize(output ?? null, summaryBytes, json, bytes);
  if (bytes <= summaryBytes) return { ref: null, summary };
  return { ref: await put(deps, key, json, bytes), summary };
}

/** Stores a value whatever its size (foreach item slices, plans) and returns its reference. */
export async function storeValue(
  deps: ClaimCheckDeps,
  key: OutputKey,
  value: unknown,
): Promise<OutputRef> {
  const json = serialize(deps, key, value);
  return put(deps, key, json, Buffer.byteLength(json, 'utf8'));
}

function serialize(deps: ClaimCheckDeps, key: OutputKey, value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  // Cheap check first: a UTF-8 byte is at least one UTF-16 unit, at most three.
  if (json.length * 3 > deps.maxOutputBytes) {
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > deps.maxOutputBytes) {
      throw outputTooLarge(`The output of ${key.taskId}`, String(bytes), deps.maxOutputBytes);
    }
  }
  return json;
}

async function put(
  deps: ClaimCheckDeps,
  key: OutputKey,
  json: string,
  bytes: number,
): Promise<OutputRef> {
  try {
    await requireStore(deps).put(key, json);
  } catch (cause) {
    const message = `Could not write ${describeKey(key)} to the output store`;
    throw retryableFailure(message, 'NetworkError', { cause });
  }
  return { outputRef: key, bytes };
}
