/**
 * The foreach task: resolves its items, slices them into chunks and runs one `foreach` activity
 * per chunk (activity id `<task>#<chunk>`), a few at a time, adding their statistics up into the
 * task's live progress. Chunks keep the history small: 100,000 items are 200 activities. A foreach
 * that does not succeed records the items that did not, so that its retry runs only those
 * (foreach-redrive.ts).
 *
 * Items the run holds (literal, or from its input) travel in the chunk's input. Items read from a
 * source or an earlier task's output never enter the workflow: the `<task>#items` activity stores
 * them, one slice per chunk, and each chunk activity loads its own slice (claim-check). A retry
 * re-runs such stored items whole, since the workflow cannot tell whether they changed.
 */
import {
  fromItemBits,
  type ForeachParams,
  type PlanTask,
  type TaskScopeEntry,
} from '@batchgraph/engine';
import type {
  Activities,
  ForeachChunkInput,
  ForeachChunkResult,
  ForeachItemsStored,
} from '@batchgraph/activities';
import { CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import { activityOptions } from './activity-options';
import { failureMessage } from './failures';
import {
  addChunk,
  chunkItems,
  emptyTally,
  exceedsFailureShare,
  failureShareMessage,
  type Chunk,
  type ForeachTally,
} from './foreach-stats';
import { itemsHash, keptTally, redriveApplies, redriveChunks, toRanges } from './foreach-redrive';
import { FOREACH_CHUNK_BYTES, FOREACH_CHUNK_ITEMS } from './limits';
import { failed, type TaskOutcome } from './outcome';
import { keyRun, type RenderedTask, type TaskContext } from './tasks';

/** The schema's defaults, for plans compiled from jobs that never went through it. */
function withDefaults(params: ForeachParams): ForeachParams {
  return {
    ...params,
    concurrency: params.concurrency ?? 10,
    itemRetries: params.itemRetries ?? 0,
    maxFailedPercent: params.maxFailedPercent ?? 0,
    slowest: params.slowest ?? 10,
  };
}

export async function runForeach(
  task: PlanTask,
  rendered: RenderedTask,
  context: TaskContext,
): Promise<TaskOutcome> {
  const params = withDefaults(rendered.params as ForeachParams);
  const items = await resolveItems(task, params, rendered.tasks, context);
  if (!Array.isArray(items) && !isStored(items)) {
    return failed(`The items are not a list (they are ${describeType(items)})`, 0);
  }
  const redrive = context.input.redrive?.[task.id];
  const redriven = Array.isArray(items) && redriveApplies(redrive, items);
  const chunks: Chunk[] = !Array.isArray(items)
    ? items.chunks.map((stored, index) => ({ index, offset: stored.offset, items: [], stored }))
    : redriven
      ? redriveChunks(items, redrive, FOREACH_CHUNK_ITEMS, FOREACH_CHUNK_BYTES)
      : chunkItems(items, FOREACH_CHUNK_ITEMS, FOREACH_CHUNK_BYTES);
  const total = Array.isArray(items) ? items.length : items.count;
  const parallel = Math.max(
    1,
    Math.min(context.chunkParallelism, params.concurrency, chunks.length),
  );
  const tally = redriven ? keptTally(redrive) : emptyTally(total);
  const runner = new ChunkRunner(tally, task, params, context, chunks, parallel);
  const outcome = await runner.run(rendered.tasks);
  if (outcome.state !== 'succeeded' && Array.isArray(items)) {
    const { progress } = runner.tally;
    context.state.redrive(task.id, {
      itemsHash: itemsHash(items),
      total: items.length,
      todo: toRanges(runner.notSucceeded()),
      succeeded: progress.succeeded,
      counters: progress.counters,
    });
  }
  return outcome;
}

type ForeachSource = Extract<ForeachParams['items'], { http: unknown }>;

function isStored(items: unknown): items is ForeachItemsStored {
  return (
    typeof items === 'object' &&
    items !== null &&
    Array.isArray((items as ForeachItemsStored).chunks)
  );
}

/** A list the run holds, or the stored slices of one read by the `<task>#items` activity. */
async function resolveItems(
  task: PlanTask,
  params: ForeachParams,
  tasks: Record<string, TaskScopeEntry> | undefined,
  context: TaskContext,
): Promise<unknown> {
  const { items } = params;
  const fromTasks = tasks !== undefined && typeof items === 'string';
  const fromSource = typeof items === 'object' && items !== null && !Array.isArray(items);
  if (!fromTasks && !fromSource) return items;
  const { foreachItems } = proxyActivities<Activities>(activityOptions(task, `${task.id}#items`));
  const base = {
    runId: context.workflowId,
    ...keyRun(context.input),
    taskId: task.id,
    startedBy: context.input.startedBy,
    ...(tasks === undefined ? {} : { tasks }),
  };
  const source = fromSource ? (items as ForeachSource) : { template: items };
  if (!context.claimCheck) return foreachItems({ ...base, source });
  const chunking = { maxItems: FOREACH_CHUNK_ITEMS, maxBytes: FOREACH_CHUNK_BYTES };
  return foreachItems({ ...base, source, chunking });
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'string' ? `the text "${value.slice(0, 80)}"` : `a ${typeof value}`;
}

/** Runs the chunks in `parallel` lanes; the first chunk error or too many item failures stop all. */
class ChunkRunner {
  private next = 0;
  private failure: string | undefined;
  private cancelled = false;
  private readonly scope = new CancellationScope();
  /** Items that failed in chunks that finished, by their position in the whole list. */
  private readonly failedItems: number[] = [];
  private readonly finishedChunks = new Set<number>();

  constructor(
    public tally: ForeachTally,
    private readonly task: PlanTask,
    private readonly params: ForeachParams,
    private readonly context: TaskContext,
    private readonly chunks: Chunk[],
    private readonly parallel: number,
  ) {}

  async run(tasks: Record<string, TaskScopeEntry> | undefined): Promise<TaskOutcome> {
    this.context.state.progress(this.task.id, this.tally.progress);
    await this.scope.run(() =>
      Promise.all(Array.from({ length: this.parallel }, () => this.lane(tasks))),
    );
    if (this.failure !== undefined) return failed(this.failure);
    if (this.cancelled) return { state: 'cancelled' };
    return {
      state: 'succeeded',
      output: { ...this.tally.progress, failures: this.tally.failures },
    };
  }

  private async lane(tasks: Record<string, TaskScopeEntry> | undefined): Promise<void> {
    const perChunk = Math.max(1, Math.floor(this.params.concurrency / this.parallel));
    while (this.failure === undefined && !this.cancelled && this.next < this.chunks.length) {
      const chunk = this.chunks[this.next++]!;
      const options = activityOptions(this.task, `${this.task.id}#${chunk.index}`);
      const input: ForeachChunkInput = {
        runId: this.context.workflowId,
        ...keyRun(this.context.input),
        jobId: this.context.input.plan.job.id,
        taskId: this.task.id,
        startedBy: this.context.input.startedBy,
        itemTask: this.params.task,
        items: chunk.items,
        offset: chunk.offset,
        concurrency: perChunk,
        itemRetries: this.params.itemRetries,
        slowest: this.params.slowest,
        ...(tasks === undefined ? {} : { tasks }),
        ...(chunk.stored === undefined ? {} : { stored: chunk.stored }),
      };
      try {
        this.record(chunk, await proxyActivities<Activities>(options).foreach(input));
      } catch (error) {
        if (isCancellation(error)) {
          if (this.failure === undefined) this.cancelled = true;
          return;
        }
        const last = chunk.offset + (chunk.stored?.count ?? chunk.items.length) - 1;
        this.fail(`Items ${chunk.offset}–${last}: ${failureMessage(error)}`);
      }
    }
  }

  /** Items that did not succeed: failed ones, and all of the chunks that did not finish. */
  notSucceeded(): number[] {
    const unfinished = this.chunks
      .filter((chunk) => !this.finishedChunks.has(chunk.index))
      .flatMap((chunk) => chunk.items.map((_, i) => chunk.offset + i));
    return [...this.failedItems, ...unfinished];
  }

  private record(chunk: Chunk, result: ForeachChunkResult): void {
    const failedItems =
      result.failedBits === undefined
        ? result.failedItems
        : fromItemBits(result.failedBits, chunk.offset);
    // A worker of an older release does not list its failed items: run the whole chunk again.
    if (failedItems?.length === result.failed) {
      this.finishedChunks.add(chunk.index);
      this.failedItems.push(...failedItems);
    }
    this.tally = addChunk(this.tally, result, this.params.slowest);
    this.context.state.progress(this.task.id, this.tally.progress);
    if (exceedsFailureShare(this.tally.progress, this.params.maxFailedPercent)) {
      this.fail(failureShareMessage(this.tally, this.params.maxFailedPercent));
    }
  }

  private fail(message: string): void {
    if (this.failure !== undefined) return;
    this.failure = message;
    this.scope.cancel();
  }
}
