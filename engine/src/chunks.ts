/**
 * Where a foreach's chunks start: at most `maxItems` items and (but for single items) `maxBytes`
 * of JSON each, so one chunk activity's input stays small. The workflow chunks lists it holds;
 * the items activity chunks lists it stores. Both must cut alike, so the rule lives here once.
 */
import { jsonBytes } from './outputs';

export function chunkOffsets(
  items: readonly unknown[],
  maxItems: number,
  maxBytes: number,
): number[] {
  const offsets: number[] = [];
  let count = 0;
  let bytes = 0;
  items.forEach((item, position) => {
    const size = jsonBytes(item) + 1;
    const full = count >= maxItems || bytes + size > maxBytes;
    if (position === 0 || (full && count > 0)) {
      offsets.push(position);
      count = 0;
      bytes = 0;
    }
    count += 1;
    bytes += size;
  });
  return offsets;
}
