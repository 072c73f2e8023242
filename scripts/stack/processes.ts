import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { StackError } from './errors';

export interface ProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** How long to wait after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  spawnError?: Error;
}

export function describeExit(info: ExitInfo): string {
  if (info.spawnError) return `could not be started (${info.spawnError.message})`;
  if (info.signal) return `was killed by ${info.signal}`;
  return `exited with code ${info.code ?? 'unknown'}`;
}

export class ManagedProcess {
  readonly exited: Promise<ExitInfo>;

  constructor(
    readonly spec: ProcessSpec,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
    });
  }

  get name(): string {
    return this.spec.name;
  }

  get logFile(): string {
    return this.spec.logFile;
  }

  /**
   * Signals the whole process group: `npm run` and `tsx` wrap the real server in child processes,
   * and signalling only the wrapper would orphan them. Returns false when the group is gone.
   */
  signal(signal: NodeJS.Signals | 0): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH' || code === 'EPERM') return false;
      throw error;
    }
  }

  /** SIGTERM to the group, then SIGKILL for whatever is still there after the stop timeout. */
  async stop(): Promise<void> {
    if (!this.signal('SIGTERM')) return;
    const timeout = this.spec.stopTimeoutMs ?? 10_000;
    const deadline = Date.now() + timeout;
    while (this.signal(0) && Date.now() < deadline) await delay(100);
    if (this.signal('SIGKILL')) {
      console.error(`[batchgraph] ${this.name} did not stop within ${timeout / 1000}s; killed it`);
    }
    await this.exited;
  }
}

/**
 * Starts child processes in their own process groups with their output in log files, and stops
 * them in reverse start order (apps before the servers they use). A child that exits while the
 * supervisor is not stopping is reported through `onUnexpectedExit`.
 */
export class Supervisor {
  private readonly processes: ManagedProcess[] = [];
  private stopping = false;

  constructor(
    private readonly onUnexpectedExit: (managed: ManagedProcess, info: ExitInfo) => void,
  ) {}

  start(spec: ProcessSpec): ManagedProcess {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const log = openSync(spec.logFile, 'w');
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    const managed = new ManagedProcess(spec, child);
    this.processes.push(managed);
    void managed.exited.then((info) => {
      if (!this.stopping) this.onUnexpectedExit(managed, info);
    });
    return managed;
  }

  get isEmpty(): boolean {
    return this.processes.length === 0;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const managed of [...this.processes].reverse()) {
      await managed.stop();
    }
  }
}

/** Rejects with a message naming the part and its log once the process exits. */
export async function failOnExit(managed: ManagedProcess): Promise<never> {
  const info = await managed.exited;
  throw new StackError(`${managed.name} ${describeExit(info)} — see ${managed.logFile}`);
}
