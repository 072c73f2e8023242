/**
 * The `foreach` task, one chunk of items per activity: runs the per-item task over the items with
 * bounded concurrency and per-item retries, and tallies the results. Progress is the activity's
 * heartbeat details, so an attempt that follows a worker crash resumes where the last heartbeat
 * left off and does not run finished items again.
 */
import { setMaxListeners } from 'node:events';
import { paramsSchemas, renderTemplates, toItemBits } from '@batchgraph/engine';
import type { ItemTask, SlowItem } from '@batchgraph/engine';
import type { Context } from '@temporalio/activity';
import type { ForeachChunkInput, ForeachChunkResult, StoredChunk } from './contract';
import { truncate } from './bounded';
import { loadStored, renderTaskTemplates, type ClaimCheckDeps } from './claim-check';
import { runCommand } from './command';
import { attemptBudgetMs, heartbeating, requestBudgetMs } from './context';
import type { TaskDeps } from './deps';
import { errorMessage, finalFailure, isRetryable, throwIfCancelled } from './errors';
import { runAs } from './connections';
import { idempotencyKey, performHttp } from './http';
import { sendNotification } from './notify';
import { TaskLog } from './task-log';

export const FOREACH_ITEMS_METRIC = 'batchgraph_foreach_items_total';

/** How many failed items a chunk reports with their errors. */
export const MAX_REPORTED_FAILURES = 10;
const ITEM_LABEL_CHARS = 80;
const ITEM_BACKOFF_MS = 200;
const ITEM_MAX_BACKOFF_MS = 5_000;

interface IndexedFailure {
  index: number;
  item: string;
  error: string;
}

/** The heartbeat details of a chunk: its tally so far and which items have finished. */
export interface ChunkCheckpoint {
  offset: number;
  count: number;
  done: number;
  succeeded: number;
  failed: number;
  counters: Record<string, number>;
  slowest: SlowItem[];
  failures: IndexedFailure[];
  /** Every item before this index (in the chunk) has finished… */
  finishedBelow: number;
  /** …and so have these. */
  finishedAlso: number[];
  /** Chunk positions of the items that failed (absent in checkpoints of older workers). */
  failedItems?: number[];
}

/** `id` of an object item, else the item's JSON, cut to 80 characters. */
export function itemLabel(item: unknown): string {
  if (typeof item === 'object' && item !== null && 'id' in item) {
    const { id } = item as { id: unknown };
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return truncate(JSON.stringify(item) ?? String(item), ITEM_LABEL_CHARS);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What an item's output adds to the counters: an HTTP item whose JSON body has
 * `counters: { name: number }` adds those, and a string `outcome` counts once under its name.
 */
export function itemCounters(output: unknown): Record<string, number> {
  const body = isRecord(output) ? output.body : undefined;
  if (!isRecord(body)) return {};
  const counters: Record<string, number> = {};
  if (isRecord(body.counters)) {
    for (const [name, value] of Object.entries(body.counters)) {
      if (typeof value === 'number' && Number.isFinite(value)) counters[name] = value;
    }
  }
  if (typeof body.outcome === 'string' && body.outcome !== '') {
    counters[body.outcome] = (counters[body.outcome] ?? 0) + 1;
  }
  return counters;
}

function readCheckpoint(details: unknown, input: ForeachChunkInput): ChunkCheckpoint | undefined {
  if (!isRecord(details)) return undefined;
  const checkpoint = details as unknown as ChunkCheckpoint;
  const fits =
    checkpoint.offset === input.offset &&
    checkpoint.count === input.items.length &&
    typeof checkpoint.finishedBelow === 'number' &&
    Array.isArray(checkpoint.finishedAlso) &&
    isRecord(checkpoint.counters) &&
    Array.isArray(checkpoint.slowest) &&
    Array.isArray(checkpoint.failures);
  return fits ? checkpoint : undefined;
}

class ChunkTally {
  private succeeded = 0;
  private failed = 0;
  private counters: Record<string, number> = {};
  private slowest: SlowItem[] = [];
  private failures: IndexedFailure[] = [];
  private finishedBelow = 0;
  private readonly finishedAlso = new Set<number>();
  private failedItems: number[] = [];

  constructor(
    private readonly input: ForeachChunkInput,
    from: ChunkCheckpoint | undefined,
  ) {
    if (!from) return;
    this.succeeded = from.succeeded;
    this.failed = from.failed;
    this.counters = { ...from.counters };
    this.slowest = [...from.slowest];
    this.failures = [...from.failures];
    this.finishedBelow = from.finishedBelow;
    from.finishedAlso.forEach((index) => this.finishedAlso.add(index));
    this.failedItems = [...(from.failedItems ?? [])];
  }

  isFinished(index: number): boolean {
    return index < this.finishedBelow || this.finishedAlso.has(index);
  }

  succeed(index: number, ms: number, output: unknown): void {
    this.succeeded += 1;
    for (const [name, value] of Object.entries(itemCounters(output))) {
      this.counters[name] = (this.counters[name] ?? 0) + value;
    }
    this.finish(index, ms);
  }

  fail(index: number, ms: number, error: unknown): void {
    this.failed += 1;
    this.failedItems.push(index);
    const failure = { index, item: itemLabel(this.input.items[index]), error: errorMessage(error) };
    this.failures = [...this.failures, failure]
      .sort((a, b) => a.index - b.index)
      .slice(0, MAX_REPORTED_FAILURES);
    this.finish(index, ms);
  }

  private finish(index: number, ms: number): void {
    if (this.input.slowest > 0) {
      this.slowest = [...this.slowest, { item: itemLabel(this.input.items[index]), ms }]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, this.input.slowest);
    }
    this.finishedAlso.add(index);
    while (this.finishedAlso.delete(this.finishedBelow)) this.finishedBelow += 1;
  }

  checkpoint(): ChunkCheckpoint {
    return {
      offset: this.input.offset,
      count: this.input.items.length,
      done: this.succeeded + this.failed,
      succeeded: this.succeeded,
      failed: this.failed,
      counters: { ...this.counters },
      slowest: this.slowest,
      failures: this.failures,
      finishedBelow: this.finishedBelow,
      finishedAlso: [...this.finishedAlso],
      failedItems: this.failedItems,
    };
  }

  result(): ForeachChunkResult {
    return {
      succeeded: this.succeeded,
      failed: this.failed,
      skipped: 0,
      counters: this.counters,
      slowest: this.slowest,
      failures: this.failures.map(({ item, error }) => ({ item, error })),
      failedBits: toItemBits(this.failedItems),
    };
  }
}

/** A chunk's slice of a stored item list. */
async function loadItems(claims: ClaimCheckDeps, chunk: StoredChunk): Promise<unknown[]> {
  const items = await loadStored(claims, chunk.items);
  if (!Array.isArray(items) || items.length !== chunk.count) {
    throw finalFailure(
      `The stored items ${chunk.offset}–${chunk.offset + chunk.count - 1} are not the list this chunk expects`,
      'ItemsNotAList',
    );
  }
  return items;
}

interface SchemaOf<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

function parseParams<T>(schema: SchemaOf<T>, value: unknown, index: number): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.map(String).join('.') || 'params'}: ${issue.message}`)
    .join('; ');
  throw finalFailure(`item ${index}: the rendered params are invalid: ${problems}`, 'BadParams');
}

/** The per-item task with `{{ item }}` templates filled in and its params checked again. */
export function renderItemTask(task: ItemTask, item: unknown, index: number): ItemTask {
  let rendered: unknown;
  try {
    rendered = renderTemplates(task.params, { item });
  } catch (cause) {
    throw finalFailure(`item ${index}: ${errorMessage(cause)}`, 'BadParams', { cause });
  }
  switch (task.type) {
    case 'http':
      return { type: 'http', params: parseParams(paramsSchemas.http, rendered, index) };
    case 'command':
      return { type: 'command', params: parseParams(paramsSchemas.command, rendered, index) };
    case 'notify':
      return { type: 'notify', params: parseParams(paramsSchemas.notify, rendered, index) };
  }
}

interface ItemCall {
  deps: TaskDeps;
  input: ForeachChunkInput;
  ctx: Context;
  log: TaskLog;
}

async function runItemOnce(call: ItemCall, index: number): Promise<unknown> {
  const { deps, input, ctx } = call;
  const absolute = input.offset + index;
  const task = renderItemTask(input.itemTask, input.items[index], absolute);
  const signal = ctx.cancellationSignal;
  const timeoutMs = attemptBudgetMs(ctx.info);
  const key = idempotencyKey(input.keyRunId ?? input.runId, input.taskId, absolute);
  switch (task.type) {
    case 'http':
      return performHttp(deps.http, {
        params: task.params,
        idempotencyKey: key,
        runAs: runAs(input.startedBy, ctx.info),
        signal,
        timeoutMs: requestBudgetMs(task.params.timeoutSeconds, ctx.info),
      });
    case 'command':
      return runCommand({
        params: task.params,
        allowed: deps.commandsAllowed,
        signal,
        timeoutMs,
        log: call.log,
        logPrefix: `[item ${absolute}] `,
      });
    case 'notify':
      return sendNotification(deps, {
        params: task.params,
        runId: input.runId,
        taskId: input.taskId,
        idempotencyKey: key,
        signal,
        timeoutMs,
      });
  }
}

/** One item with up to `itemRetries` more tries for retryable failures, backing off between. */
async function runItem(call: ItemCall, index: number): Promise<unknown> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await runItemOnce(call, index);
    } catch (error) {
      throwIfCancelled(call.ctx.cancellationSignal);
      if (retry >= call.input.itemRetries || !isRetryable(error)) throw error;
      await call.ctx.sleep(Math.min(ITEM_BACKOFF_MS * 2 ** retry, ITEM_MAX_BACKOFF_MS));
    }
  }
}

async function pool(
  indexes: number[],
  concurrency: number,
  signal: AbortSignal,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < indexes.length && !signal.aborted) {
      const index = indexes[next]!;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, indexes.length) }, worker));
}

export async function runChunk(
  deps: TaskDeps,
  claims: ClaimCheckDeps,
  given: ForeachChunkInput,
  ctx: Context,
): Promise<ForeachChunkResult> {
  const input: ForeachChunkInput = {
    ...given,
    items: given.stored ? await loadItems(claims, given.stored) : given.items,
    itemTask: await renderTaskTemplates(claims, given.itemTask, given.tasks),
  };
  const tally = new ChunkTally(input, readCheckpoint(ctx.info.heartbeatDetails, input));
  const log = new TaskLog(
    deps.db,
    { runId: input.runId, taskId: input.taskId, attempt: ctx.info.attempt },
    (error) => ctx.log.warn('task log write failed', { error: errorMessage(error) }),
  );
  const pulse = (): void => ctx.heartbeat(tally.checkpoint());
  // Per-item outcomes are invisible to Temporal's own metrics (a chunk is one activity).
  const finished = ctx.metricMeter
    .createCounter(
      FOREACH_ITEMS_METRIC,
      'items',
      'Foreach items finished, by item task type and outcome',
    )
    .withTags({ item_task_type: input.itemTask.type });
  const call: ItemCall = { deps, input, ctx, log };
  // Every running item listens for cancellation; more than Node's default 10 is no leak here.
  setMaxListeners(input.concurrency + 10, ctx.cancellationSignal);
  const todo = input.items.map((_, index) => index).filter((index) => !tally.isFinished(index));
  const work = async (index: number): Promise<void> => {
    const started = performance.now();
    try {
      const output = await runItem(call, index);
      tally.succeed(index, Math.round(performance.now() - started), output);
      finished.add(1, { outcome: 'succeeded' });
    } catch (error) {
      throwIfCancelled(ctx.cancellationSignal);
      tally.fail(index, Math.round(performance.now() - started), error);
      finished.add(1, { outcome: 'failed' });
    }
    pulse();
  };
  try {
    // Besides one heartbeat per finished item, a steady one covers items that take long.
    await heartbeating(pulse, () =>
      pool(todo, Math.max(1, input.concurrency), ctx.cancellationSignal, work),
    );
    throwIfCancelled(ctx.cancellationSignal);
    return tally.result();
  } finally {
    await log.close();
  }
}
