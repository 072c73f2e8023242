/** The interpreter's pure helpers: output sizes and summaries, foreach chunks and statistics. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addChunk,
  chunkItems,
  emptyTally,
  exceedsFailureShare,
  mergeSlowest,
} from '../src/workflows/foreach-stats';
import {
  itemsHash,
  keptTally,
  redriveApplies,
  redriveChunks,
  toRanges,
} from '../src/workflows/foreach-redrive';
import {
  MAX_OUTPUT_SUMMARY_BYTES,
  jsonBytes,
  summarize,
  utf8Length,
  utf8Prefix,
} from '@batchgraph/engine';

describe('output sizes', () => {
  it('counts UTF-8 bytes like Buffer does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text));
        const prefix = utf8Prefix(text, 7);
        expect(Buffer.byteLength(prefix)).toBeLessThanOrEqual(7);
        expect(text.startsWith(prefix)).toBe(true);
      }),
    );
  });

  it('keeps small outputs and cuts big ones to a bounded preview', () => {
    expect(summarize({ a: 1 })).toEqual({ a: 1 });
    expect(summarize(undefined)).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 3000, maxLength: 6000 }), (text) => {
        const summary = summarize({ text: text.repeat(2) });
        expect(jsonBytes(summary)).toBeLessThanOrEqual(MAX_OUTPUT_SUMMARY_BYTES);
      }),
      { numRuns: 20 },
    );
  });
});

describe('foreach chunks', () => {
  it('slices by item count and by size, keeping order and offsets', () => {
    const items = Array.from({ length: 1234 }, (_, i) => i);
    const chunks = chunkItems(items, 500, 1e9);
    expect(chunks.map((chunk) => chunk.items.length)).toEqual([500, 500, 234]);
    expect(chunks.map((chunk) => chunk.offset)).toEqual([0, 500, 1000]);
    expect(chunks.flatMap((chunk) => chunk.items)).toEqual(items);
    const big = chunkItems(['x'.repeat(100), 'y'.repeat(100), 'z'.repeat(500)], 500, 250);
    expect(big.map((chunk) => chunk.items.length)).toEqual([2, 1]);
    expect(chunkItems([], 500, 1000)).toEqual([]);
  });

  it('adds chunk statistics up and keeps the slowest items', () => {
    let tally = emptyTally(6);
    tally = addChunk(
      tally,
      {
        succeeded: 2,
        failed: 1,
        skipped: 0,
        counters: { added: 2 },
        slowest: [{ item: 'a', ms: 5 }],
        failures: [{ item: 'c', error: 'no' }],
      },
      2,
    );
    tally = addChunk(
      tally,
      {
        succeeded: 3,
        failed: 0,
        skipped: 0,
        counters: { added: 1, updated: 2 },
        slowest: [
          { item: 'd', ms: 9 },
          { item: 'e', ms: 1 },
        ],
        failures: [],
      },
      2,
    );
    expect(tally.progress).toEqual({
      total: 6,
      done: 6,
      succeeded: 5,
      failed: 1,
      skipped: 0,
      counters: { added: 3, updated: 2 },
      slowest: [
        { item: 'd', ms: 9 },
        { item: 'a', ms: 5 },
      ],
    });
    expect(exceedsFailureShare(tally.progress, 20)).toBe(false);
    expect(exceedsFailureShare(tally.progress, 10)).toBe(true);
    expect(mergeSlowest([], [], 3)).toEqual([]);
  });
});

describe('foreach redrive', () => {
  const items = Array.from({ length: 18 }, (_, i) => ({ id: i }));
  const redrive = {
    itemsHash: itemsHash(items),
    total: 18,
    todo: toRanges([13, 4, 9, 10]),
    succeeded: 14,
    counters: { added: 14 },
  };

  it('keeps the indexes that did not succeed as ranges', () => {
    expect(redrive.todo).toEqual([
      [4, 4],
      [9, 10],
      [13, 13],
    ]);
    expect(toRanges([])).toEqual([]);
  });

  it('runs only those items, at their places in the list, after the kept ones', () => {
    const chunks = redriveChunks(items, redrive, 500, 512 * 1024);
    expect(chunks.map((chunk) => [chunk.index, chunk.offset, chunk.items])).toEqual([
      [0, 4, [{ id: 4 }]],
      [1, 9, [{ id: 9 }, { id: 10 }]],
      [2, 13, [{ id: 13 }]],
    ]);
    expect(keptTally(redrive).progress).toMatchObject({ total: 18, done: 14, succeeded: 14 });
  });

  it('applies only to the same items', () => {
    expect(redriveApplies(redrive, items)).toBe(true);
    expect(redriveApplies(redrive, [...items.slice(0, 17), { id: 'other' }])).toBe(false);
    expect(redriveApplies(redrive, items.slice(1))).toBe(false);
    expect(redriveApplies(undefined, items)).toBe(false);
  });
});
