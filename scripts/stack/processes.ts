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
  /**
   * Start it again when it exits on its own, after a backoff (the product's processes are
   * stateless: a restarted worker carries on the runs Temporal holds). Without it, an exit is
   * reported through the supervisor's `onUnexpectedExit`.
   */
  restart?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  spawnError?: Error;
}

/** Short form for a restart notice: `SIGKILL`, `code 1`. */
export function exitReason(info: ExitInfo): string {
  if (info.spawnError) return info.spawnError.message;
  if (info.signal) return info.signal;
  return `code ${info.code ?? 'unknown'}`;
}

/** Restart backoff: 1 s, doubling up to 30 s; a process that ran a minute starts over at 1 s. */
export const RESTART_BACKOFF = { firstMs: 1000, maxMs: 30_000, stableMs: 60_000 } as const;

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

  get pid(): number | undefined {
    return this.child.pid;
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
 * supervisor is not stopping is restarted with backoff when its spec says `restart` (and the
 * terminal is told), else reported through `onUnexpectedExit`.
 */
export class Supervisor {
  private readonly processes: ManagedProcess[] = [];
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(
    private readonly onUnexpectedExit: (managed: ManagedProcess, info: ExitInfo) => void,
    private readonly notify: (line: string) => void = (line) => console.error(line),
  ) {}

  start(spec: ProcessSpec): ManagedProcess {
    return this.spawn(spec, 'w', RESTART_BACKOFF.firstMs);
  }

  private spawn(spec: ProcessSpec, logMode: 'w' | 'a', backoffMs: number): ManagedProcess {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const log = openSync(spec.logFile, logMode);
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
    const startedAt = Date.now();
    void managed.exited.then((info) => {
      if (this.stopping) return;
      // The wrapper (npm, sh, tsx) may die alone, say when a user kills it: whatever else of its
      // group is left (the real server) would live on unsupervised, so it goes too.
      managed.signal('SIGKILL');
      if (!spec.restart || info.spawnError) {
        this.onUnexpectedExit(managed, info);
        return;
      }
      const wait =
        Date.now() - startedAt >= RESTART_BACKOFF.stableMs ? RESTART_BACKOFF.firstMs : backoffMs;
      this.notify(
        `[batchgraph] ${spec.name} exited (${exitReason(info)}), restarting in ${wait / 1000}s — see ${spec.logFile}`,
      );
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (this.stopping) return;
        this.processes.splice(this.processes.indexOf(managed), 1);
        const next = Math.min(wait * 2, RESTART_BACKOFF.maxMs);
        const again = this.spawn(spec, 'a', next);
        this.notify(`[batchgraph] ${spec.name} restarted (pid ${again.pid ?? 'unknown'})`);
      }, wait);
      this.restartTimers.add(timer);
    });
    return managed;
  }

  get isEmpty(): boolean {
    return this.processes.length === 0;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
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
