/**
 * A task attempt's log lines in MongoDB (TaskLogDoc), written in batches so a chatty command does
 * not cost one insert per line. Logging never fails the task: a write error is reported once.
 */
import { collections } from '@batchgraph/engine';
import type { LogStream, TaskLogDoc } from '@batchgraph/engine';
import type { Db } from 'mongodb';
import { truncate } from './bounded';

const BATCH_LINES = 200;
const FLUSH_AFTER_MS = 500;
/** Lines kept per attempt; the rest is dropped with a note (the output keeps the tail). */
export const MAX_LOG_LINES = 20_000;
const MAX_LINE_CHARS = 4_000;

export interface TaskLogTarget {
  runId: string;
  taskId: string;
  attempt: number;
}

export class TaskLog {
  private pending: TaskLogDoc[] = [];
  private written = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(
    private readonly db: Db | undefined,
    private readonly target: TaskLogTarget,
    private readonly onError: (error: unknown) => void,
  ) {}

  write(stream: LogStream, text: string): void {
    if (!this.db) return;
    this.written += 1;
    if (this.written > MAX_LOG_LINES + 1) return;
    const line =
      this.written > MAX_LOG_LINES
        ? { stream: 'info' as const, text: `log stopped after ${MAX_LOG_LINES} lines` }
        : { stream, text: truncate(text, MAX_LINE_CHARS) };
    this.pending.push({ ...this.target, at: new Date(), ...line });
    if (this.pending.length >= BATCH_LINES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes what is pending and waits for every write so far. */
  async close(): Promise<void> {
    this.flush();
    await this.flushing;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || !this.db) return;
    const logs = this.db.collection<TaskLogDoc>(collections.taskLogs);
    this.flushing = this.flushing.then(async () => {
      try {
        await logs.insertMany(batch, { ordered: false });
      } catch (error) {
        if (!this.failed) this.onError(error);
        this.failed = true;
      }
    });
  }
}
