/** What running one task came to, as the interpreter records it. */
export type TaskOutcome =
  /**
   * `output`: what the run holds (an OutputRef or a small value); `summary`: the activity's summary
   * of a stored output; `attempts` when the worker reported which attempt succeeded.
   */
  | { state: 'succeeded'; output: unknown; summary?: unknown; attempts?: number }
  | { state: 'failed'; error: string; attempts: number }
  | { state: 'cancelled' };

export function failed(error: string, attempts = 1): TaskOutcome {
  return { state: 'failed', error, attempts };
}
