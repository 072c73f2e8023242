/**
 * The pure part of a foreach task: slicing its items into chunks and adding up what the chunk
 * activities report into one ForeachProgress.
 */
import { chunkOffsets, type ForeachProgress, type SlowItem } from '@batchgraph/engine';
import type { ForeachChunkResult, StoredChunk } from '@batchgraph/activities';
import { FOREACH_FAILURES_KEPT } from './limits';

export interface Chunk {
  index: number;
  /** Position of the chunk's first item in the whole list. */
  offset: number;
  /** The chunk's items, or none when they are `stored`. */
  items: unknown[];
  stored?: StoredChunk;
}

/** Slices items into chunks of at most `maxItems` items and (but for single items) `maxBytes` of JSON. */
export function chunkItems(items: readonly unknown[], maxItems: number, maxBytes: number): Chunk[] {
  const offsets = chunkOffsets(items, maxItems, maxBytes);
  return offsets.map((offset, index) => ({
    index,
    offset,
    items: items.slice(offset, offsets[index + 1] ?? items.length),
  }));
}

export interface ForeachTally {
  progress: ForeachProgress;
  failures: { item: string; error: string }[];
}

export function emptyTally(total: number): ForeachTally {
  return {
    progress: { total, done: 0, succeeded: 0, failed: 0, skipped: 0, counters: {}, slowest: [] },
    failures: [],
  };
}

/** Adds one chunk's result to the tally, keeping the `keepSlowest` slowest items overall. */
export function addChunk(
  tally: ForeachTally,
  result: ForeachChunkResult,
  keepSlowest: number,
): ForeachTally {
  const { progress } = tally;
  const counters = { ...progress.counters };
  for (const [name, value] of Object.entries<number>(result.counters)) {
    counters[name] = (counters[name] ?? 0) + value;
  }
  const succeeded = progress.succeeded + result.succeeded;
  const failed = progress.failed + result.failed;
  const skipped = progress.skipped + result.skipped;
  return {
    progress: {
      total: progress.total,
      done: succeeded + failed + skipped,
      succeeded,
      failed,
      skipped,
      counters,
      slowest: mergeSlowest(progress.slowest, result.slowest, keepSlowest),
    },
    failures: [...tally.failures, ...result.failures].slice(0, FOREACH_FAILURES_KEPT),
  };
}

/** The `keep` slowest items of both lists, slowest first (ties keep the earlier list's order). */
export function mergeSlowest(a: SlowItem[], b: SlowItem[], keep: number): SlowItem[] {
  return [...a, ...b].sort((x, y) => y.ms - x.ms).slice(0, keep);
}

/** Whether more than `maxFailedPercent` of all items have failed (so far, or in the end). */
export function exceedsFailureShare(progress: ForeachProgress, maxFailedPercent: number): boolean {
  if (progress.total === 0) return false;
  return (progress.failed / progress.total) * 100 > maxFailedPercent;
}

/** The task error of a foreach that failed too many items. */
export function failureShareMessage(tally: ForeachTally, maxFailedPercent: number): string {
  const { failed, total } = tally.progress;
  const examples = tally.failures.map((failure) => `${failure.item}: ${failure.error}`).join('; ');
  return (
    `${failed} of ${total} items failed, more than the ${maxFailedPercent}% allowed` +
    (examples ? ` (${examples})` : '')
  );
}
