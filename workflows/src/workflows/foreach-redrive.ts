/**
 * Foreach redrive for retry-from-failure (DESIGN.md): a foreach that did not succeed records which
 * of its items did not succeed; its retry, given the same items, runs only those and counts what
 * the others added up to. Pure functions, deterministic (no Node APIs: this is workflow code).
 */
import type { ForeachRedrive } from '@batchgraph/engine';
import { chunkItems, emptyTally, type Chunk, type ForeachTally } from './foreach-stats';

/** Two 32-bit hashes (FNV-1a, djb2) and the length of the items' JSON: "the same items". */
export function itemsHash(items: readonly unknown[]): string {
  const text = JSON.stringify(items);
  let fnv = 0x811c9dc5;
  let djb = 5381;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    fnv = Math.imul(fnv ^ code, 0x01000193);
    djb = (Math.imul(djb, 33) + code) | 0;
  }
  return [text.length, fnv >>> 0, djb >>> 0].map((part) => part.toString(36)).join('-');
}

/** Ascending item indexes as [first, last] ranges. */
export function toRanges(indexes: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && index <= last[1] + 1) last[1] = Math.max(last[1], index);
    else ranges.push([index, index]);
  }
  return ranges;
}

/** Whether the retried run's record applies to these items. */
export function redriveApplies(
  redrive: ForeachRedrive | undefined,
  items: readonly unknown[],
): redrive is ForeachRedrive {
  return (
    redrive !== undefined &&
    redrive.total === items.length &&
    redrive.itemsHash === itemsHash(items)
  );
}

/** Chunks of only the items to run again, at their positions in the whole list. */
export function redriveChunks(
  items: readonly unknown[],
  redrive: ForeachRedrive,
  maxItems: number,
  maxBytes: number,
): Chunk[] {
  const chunks: Chunk[] = [];
  for (const [first, last] of redrive.todo) {
    for (const chunk of chunkItems(items.slice(first, last + 1), maxItems, maxBytes)) {
      chunks.push({ index: chunks.length, offset: first + chunk.offset, items: chunk.items });
    }
  }
  return chunks;
}

/** The tally a redriven foreach starts from: the items that succeeded before, done. */
export function keptTally(redrive: ForeachRedrive): ForeachTally {
  const tally = emptyTally(redrive.total);
  return {
    ...tally,
    progress: {
      ...tally.progress,
      done: redrive.succeeded,
      succeeded: redrive.succeeded,
      counters: { ...redrive.counters },
    },
  };
}
