/**
 * The `command` task: runs an executable the worker allows, without a shell, in a minimal
 * environment (the worker's own variables, secrets included, are not passed on). Output is
 * streamed line by line to the task log and its tail kept as the task's output.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { CommandParams, LogStream } from '@batchgraph/engine';
import type { CommandOutput } from './contract';
import { TailBuffer, tail } from './bounded';
import { finalFailure, retryableFailure, rootMessage, throwIfCancelled } from './errors';
import type { TaskLog } from './task-log';

/** Time between SIGTERM and SIGKILL when a command is stopped. */
export const KILL_GRACE_MS = 3_000;
const STDERR_IN_MESSAGE = 500;
const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The allow-list resolved once, at worker start: each entry (a name or an absolute path) to the
 * absolute path it runs, looked up in the worker's fixed PATH — so the task's environment can
 * never decide which binary a name means. undefined: not found on this worker.
 */
export type AllowedCommands = ReadonlyMap<string, string | undefined>;

export function resolveCommands(allowed: readonly string[]): AllowedCommands {
  const resolved = new Map<string, string | undefined>();
  for (const entry of allowed) {
    if (isAbsolute(entry)) {
      resolved.set(entry, isExecutable(entry) ? entry : undefined);
      continue;
    }
    const found = entry.includes('/')
      ? undefined
      : SAFE_PATH.split(':')
          .map((dir) => join(dir, entry))
          .find(isExecutable);
    resolved.set(entry, found);
  }
  return resolved;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface CommandCall {
  params: CommandParams;
  allowed: AllowedCommands;
  signal: AbortSignal;
  timeoutMs: number;
  log: TaskLog;
  /** Put before every log line, e.g. `[item 7] ` inside a foreach. */
  logPrefix?: string;
}

/** The absolute path the allowed `command` runs; a final failure when it is not allowed. */
function allowedPath(command: string, allowed: AllowedCommands): string {
  if (allowed.size === 0) {
    throw finalFailure(
      'command tasks are disabled on this worker: list the executables they may run in ' +
        'BATCHGRAPH_COMMANDS_ALLOWED (comma-separated, e.g. "/usr/bin/rsync,pg_dump")',
      'NotConfigured',
    );
  }
  if (!allowed.has(command)) {
    throw finalFailure(
      `"${command}" is not in the worker's BATCHGRAPH_COMMANDS_ALLOWED (${[...allowed.keys()].join(', ')})`,
      'CommandNotAllowed',
    );
  }
  const path = allowed.get(command);
  if (path === undefined) {
    throw finalFailure(
      `could not start "${command}": no such executable on this worker (looked in ${SAFE_PATH})`,
      'CommandFailed',
    );
  }
  return path;
}

async function checkCwd(cwd: string | undefined): Promise<void> {
  if (cwd === undefined) return;
  const info = await stat(cwd).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw finalFailure(`working directory ${cwd} does not exist`, 'BadParams');
  }
}

function minimalEnv(extra: Record<string, string> | undefined): Record<string, string> {
  return { PATH: SAFE_PATH, HOME: homedir(), LANG: 'C.UTF-8', ...extra };
}

/** Splits a byte stream into lines (UTF-8 safe across chunk boundaries). */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    const lines = (this.partial + this.decoder.write(chunk)).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    lines.forEach(this.emit);
  }

  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }
}

function capture(
  child: ChildProcess,
  call: CommandCall,
): { stdout: TailBuffer; stderr: TailBuffer; end: () => void } {
  const buffers = { stdout: new TailBuffer(), stderr: new TailBuffer() };
  const splitters = (['stdout', 'stderr'] as const).map(
    (stream: LogStream & keyof typeof buffers) => {
      const splitter = new LineSplitter((line) =>
        call.log.write(stream, `${call.logPrefix ?? ''}${line}`),
      );
      child[stream]?.on('data', (chunk: Buffer) => {
        buffers[stream].write(chunk);
        splitter.push(chunk);
      });
      return splitter;
    },
  );
  return { ...buffers, end: () => splitters.forEach((splitter) => splitter.end()) };
}

/** Signals the child's whole process group, so anything it started stops too. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function stopper(child: ChildProcess): () => void {
  let graceTimer: NodeJS.Timeout | undefined;
  child.once('exit', () => clearTimeout(graceTimer));
  return () => {
    if (graceTimer) return;
    killGroup(child, 'SIGTERM');
    graceTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
  };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function waitForExit(child: ChildProcess, command: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      const message = `could not start "${command}": ${rootMessage(error)}`;
      const permanent = error.code === 'ENOENT' || error.code === 'EACCES';
      reject(
        permanent
          ? finalFailure(message, 'CommandFailed', { cause: error })
          : retryableFailure(message, 'CommandFailed', { cause: error }),
      );
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

export async function runCommand(call: CommandCall): Promise<CommandOutput> {
  const { params } = call;
  const executable = allowedPath(params.command, call.allowed);
  await checkCwd(params.cwd);
  throwIfCancelled(call.signal);
  const child = spawn(executable, params.args ?? [], {
    cwd: params.cwd,
    env: minimalEnv(params.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = capture(child, call);
  const stop = stopper(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, call.timeoutMs);
  call.signal.addEventListener('abort', stop, { once: true });
  try {
    const exit = await waitForExit(child, params.command);
    output.end();
    const stdout = output.stdout.text();
    const stderr = output.stderr.text();
    throwIfCancelled(call.signal);
    const stderrTail = tail(stderr.trim(), STDERR_IN_MESSAGE);
    const said = stderrTail ? `: ${stderrTail}` : '';
    if (timedOut) {
      throw retryableFailure(
        `${params.command} ran longer than ${call.timeoutMs / 1000}s and was stopped${said}`,
        'Timeout',
      );
    }
    if (exit.code !== 0) {
      const how =
        exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      throw retryableFailure(`${params.command} ${how}${said}`, 'CommandFailed', {
        details: [{ exitCode: exit.code, signal: exit.signal }],
      });
    }
    return { exitCode: 0, stdout, stderr };
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', stop);
  }
}
