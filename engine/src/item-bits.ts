/**
 * A foreach chunk's failed items as a bitmap in hex (bit i of the chunk set = item offset + i
 * failed). Chunk results travel in the workflow history, where a list of positions costs up to
 * seven bytes an item; the bitmap costs a quarter of a byte per item of the chunk, whatever fails.
 */

/** The bitmap of `indexes` (positions within the chunk, from 0). */
export function toItemBits(indexes: readonly number[]): string {
  if (indexes.length === 0) return '';
  const nibbles = new Array<number>(Math.floor(Math.max(...indexes) / 4) + 1).fill(0);
  for (const index of indexes) nibbles[index >> 2]! |= 1 << (index & 3);
  return nibbles.map((nibble) => nibble.toString(16)).join('');
}

/** The positions in the whole list that `bits` marks, for a chunk starting at `offset`. */
export function fromItemBits(bits: string, offset: number): number[] {
  const positions: number[] = [];
  for (let digit = 0; digit < bits.length; digit++) {
    const nibble = parseInt(bits[digit]!, 16);
    for (let bit = 0; bit < 4; bit++) {
      if (nibble & (1 << bit)) positions.push(offset + digit * 4 + bit);
    }
  }
  return positions;
}
