/**
 * The foreach task: resolves its items, slices them into chunks and runs one `foreach` activity
 * per chunk (activity id `<task>#<chunk>`), a few at a time, adding their statistics up into the
 * task's live progress. Chunks keep the history small: 100,000 items are 200 activities. A foreach
 * that does not succeed records the items that did not, so that its retry runs only those
 * (foreach-redrive.ts).
 */
import type { ForeachParams, PlanTask } from '@batchgraph/engine';
import type { Activities, ForeachChunkResult } from '@batchgraph/activities';
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
import { keyRun, type TaskContext } from './tasks';

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
  rendered: unknown,
  context: TaskContext,
): Promise<TaskOutcome> {
  const params = withDefaults(rendered as ForeachParams);
  const items = await resolveItems(task, params, context);
  if (!Array.isArray(items)) {
    return failed(`The items are not a list (they are ${describeType(items)})`, 0);
  }
  const redrive = context.input.redrive?.[task.id];
  const redriven = redriveApplies(redrive, items);
  const chunks = redriven
    ? redriveChunks(items, redrive, FOREACH_CHUNK_ITEMS, FOREACH_CHUNK_BYTES)
    : chunkItems(items, FOREACH_CHUNK_ITEMS, FOREACH_CHUNK_BYTES);
  const parallel = Math.max(
    1,
    Math.min(context.chunkParallelism, params.concurrency, chunks.length),
  );
  const tally = redriven ? keptTally(redrive) : emptyTally(items.length);
  const runner = new ChunkRunner(tally, task, params, context, chunks, parallel);
  const outcome = await runner.run();
  if (outcome.state !== 'succeeded') {
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

async function resolveItems(
  task: PlanTask,
  params: ForeachParams,
  context: TaskContext,
): Promise<unknown> {
  const { items } = params;
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return items;
  const { foreachItems } = proxyActivities<Activities>(activityOptions(task, `${task.id}#items`));
  return foreachItems({
    runId: context.workflowId,
    ...keyRun(context.input),
    taskId: task.id,
    startedBy: context.input.startedBy,
    source: items,
  });
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

  async run(): Promise<TaskOutcome> {
    this.context.state.progress(this.task.id, this.tally.progress);
    await this.scope.run(() =>
      Promise.all(Array.from({ length: this.parallel }, () => this.lane())),
    );
    if (this.failure !== undefined) return failed(this.failure);
    if (this.cancelled) return { state: 'cancelled' };
    return {
      state: 'succeeded',
      output: { ...this.tally.progress, failures: this.tally.failures },
    };
  }

  private async lane(): Promise<void> {
    const perChunk = Math.max(1, Math.floor(this.params.concurrency / this.parallel));
    while (this.failure === undefined && !this.cancelled && this.next < this.chunks.length) {
      const chunk = this.chunks[this.next++]!;
      const options = activityOptions(this.task, `${this.task.id}#${chunk.index}`);
      try {
        const result = await proxyActivities<Activities>(options).foreach({
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
        });
        this.record(chunk, result);
      } catch (error) {
        if (isCancellation(error)) {
          if (this.failure === undefined) this.cancelled = true;
          return;
        }
        const last = chunk.offset + chunk.items.length - 1;
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
    // A worker of an older release does not list its failed items: run the whole chunk again.
    if (result.failedItems?.length === result.failed) {
      this.finishedChunks.add(chunk.index);
      this.failedItems.push(...result.failedItems);
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
