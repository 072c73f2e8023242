/**
 * Sizes and summaries of task outputs. Full outputs stay in workflow memory for templating; the
 * live view carries a bounded summary so the query answer stays small however big the run.
 */
import { MAX_OUTPUT_SUMMARY_BYTES } from '@batchgraph/engine';

export interface TruncatedOutput {
  truncated: true;
  /** Size of the whole output as JSON, in bytes. */
  bytes: number;
  /** The beginning of the output's JSON. */
  preview: string;
}

/** Bytes and UTF-16 units of the character at `index` (a surrogate pair counts as one). */
function charAt(text: string, index: number): { bytes: number; units: number } {
  const code = text.charCodeAt(index);
  if (code < 0x80) return { bytes: 1, units: 1 };
  if (code < 0x800) return { bytes: 2, units: 1 };
  if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) return { bytes: 4, units: 2 };
  return { bytes: 3, units: 1 };
}

/** UTF-8 length of a string, counted by hand: the workflow sandbox need not have TextEncoder. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length;) {
    const char = charAt(text, index);
    bytes += char.bytes;
    index += char.units;
  }
  return bytes;
}

/** The longest prefix of a string whose UTF-8 encoding fits `maxBytes`. */
export function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const char = charAt(text, index);
    if (bytes + char.bytes > maxBytes) break;
    bytes += char.bytes;
    index += char.units;
  }
  return text.slice(0, index);
}

/** Size of a value as JSON, in UTF-8 bytes (`undefined` is 0). */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : utf8Length(json);
}

/** The value itself when it fits MAX_OUTPUT_SUMMARY_BYTES, else the start of its JSON. */
export function summarize(value: unknown): unknown {
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  const bytes = utf8Length(json);
  if (bytes <= MAX_OUTPUT_SUMMARY_BYTES) return value;
  // Leaves room for the wrapper and the JSON escaping of the preview itself.
  const preview = utf8Prefix(json, MAX_OUTPUT_SUMMARY_BYTES / 2);
  const summary: TruncatedOutput = { truncated: true, bytes, preview };
  return summary;
}
