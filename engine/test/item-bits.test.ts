import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromItemBits, toItemBits } from '../src/item-bits';

describe('failed items as a bitmap', () => {
  it('gives back exactly the positions it was given, moved by the offset', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 999 })),
        fc.integer({ min: 0, max: 100_000 }),
        (indexes, offset) => {
          const expected = [...indexes].sort((a, b) => a - b).map((index) => offset + index);
          expect(fromItemBits(toItemBits(indexes), offset)).toEqual(expected);
        },
      ),
    );
  });

  it('costs a quarter of a byte per item of the chunk', () => {
    const everySeventh = Array.from({ length: 72 }, (_, i) => i * 7);
    expect(toItemBits(everySeventh)).toHaveLength(Math.floor((71 * 7) / 4) + 1);
    expect(toItemBits([])).toBe('');
    expect(toItemBits([0, 1, 2, 3, 5])).toBe('f2');
  });
});
