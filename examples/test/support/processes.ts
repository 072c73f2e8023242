/**
 * The product's own processes (API, worker) as children of the test run: started with tsx from
 * the repository's sources, their output kept for error messages, stopped by their own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const API_ENTRY = `${REPO_ROOT}api/src/server.ts`;
export const WORKER_ENTRY = `${REPO_ROOT}workflows/src/worker.ts`;

const KEPT_LINES = 200;

export class ChildFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChildFailure';
  }
}

export class Child {
  private readonly lines: string[] = [];
  private exitCode: number | null | undefined;
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
    private readonly log: WriteStream,
  ) {
    for (const stream of [process.stdout, process.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.keep(chunk);
        log.write(chunk);
      });
    }
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        log.end();
        resolve();
      });
    });
  }

  /**
   * Runs a TypeScript entry with the tsx loader in one node process (no npx layer to orphan),
   * writing its whole output to `logFile` too.
   */
  static start(name: string, entry: string, env: Record<string, string>, logFile: string): Child {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Child(name, child, createWriteStream(logFile, { flags: 'a' }));
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last lines the process wrote, for failure messages. */
  output(): string {
    return this.lines.join('\n');
  }

  describe(): string {
    const state = this.running ? 'running' : `exited with ${String(this.exitCode)}`;
    return `${this.name} (${state}, log ${this.log.path.toString()}); its last output:\n${this.output() || '(none)'}`;
  }

  /** SIGTERM, then SIGKILL when it has not exited within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private keep(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
  }
}

/** Polls `check` until it returns a value; fails early when the child exits. */
export async function waitFor<T>(
  child: Child,
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!child.running) throw new ChildFailure(`${what}: ${child.describe()}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new ChildFailure(`${what}: not within ${timeoutMs / 1000} s; ${child.describe()}`, {
    cause: lastError,
  });
}
