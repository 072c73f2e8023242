/**
 * A failure the local stack reports as one plain line: the developer needs to know which part
 * failed and where its log is, not a stack trace from the supervisor.
 */
export class StackError extends Error {
  /** True when the message already says everything its cause would; the cause is not printed. */
  readonly complete: boolean = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StackError';
  }
}

function causes(error: Error): string[] {
  const messages: string[] = [];
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
    messages.push(cause.message);
  }
  return messages;
}

/** Prints a failure the way the stack scripts report it and returns the exit code to use. */
export function reportFailure(error: unknown): number {
  if (error instanceof StackError) {
    const detail = error.complete ? [] : causes(error);
    console.error(`[batchgraph] error: ${[error.message, ...detail].join(': ')}`);
  } else {
    console.error('[batchgraph] unexpected failure:', error);
  }
  return 1;
}
