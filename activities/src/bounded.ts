/**
 * Bounds on what activities keep and return. A task's output is stored outside Temporal (see
 * claim-check.ts), but a worker still holds it in memory, so outputs over
 * BATCHGRAPH_MAX_TASK_OUTPUT_BYTES are refused with a clear error; command output is kept as a tail.
 */
import { finalFailure } from './errors';

/** How much of each of a command's stdout and stderr the output keeps. */
export const COMMAND_TAIL_BYTES = 64 * 1024;

/** The error of an output over the limit (non-retryable: the same call returns the same). */
export function outputTooLarge(what: string, bytes: string, limit: number): Error {
  return finalFailure(
    `${what} is ${bytes} bytes, more than the ${limit} bytes a task output may hold ` +
      '(BATCHGRAPH_MAX_TASK_OUTPUT_BYTES); ask the service for less (paging, filters) or split the task',
    'OutputTooLarge',
  );
}

/** Reads a body but stops as soon as it passes the limit, so a huge response never fills memory. */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  what: string,
  limit: number,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw outputTooLarge(what, `over ${limit}`, limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The first `limit` bytes of a body; the rest is left unread. */
export async function readPrefix(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel();
  return Buffer.concat(chunks).subarray(0, limit);
}

/** Keeps the last `limit` bytes written to it. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly limit = COMMAND_TAIL_BYTES) {}

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const tail = all.length > this.limit ? all.subarray(all.length - this.limit) : all;
    return (this.dropped || all.length > this.limit ? '…' : '') + tail.toString('utf8');
  }
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The last `max` characters, for error messages that quote a stream's end. */
export function tail(text: string, max: number): string {
  return text.length > max ? `…${text.slice(text.length - max)}` : text;
}
