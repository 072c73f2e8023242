/**
 * What a command may do to the outside world. Commands see only this, so tests can run them in
 * process; node.ts provides the real thing.
 */
export interface CliIo {
  /** Writes to standard output (a newline is added). */
  out(text: string): void;
  /** Writes to standard error (a newline is added). */
  err(text: string): void;
  readFile(path: string): Promise<string>;
}

/** Exit codes: 0 done, 1 the input is invalid (validate), 2 usage error or unusable input. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** A wrong command line: the message goes to stderr with the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}
