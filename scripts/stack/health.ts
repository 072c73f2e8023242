import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { StackError } from './errors';
import { describeExit, type ManagedProcess } from './processes';

/** A probe that resolves when the part answers and throws an Error saying why it does not. */
export type HealthCheck = () => Promise<void>;

export interface HealthTarget {
  name: string;
  timeoutMs: number;
  /** The process serving the part, when the stack started it: its exit ends the wait at once. */
  process?: ManagedProcess;
  logFile?: string;
}

const POLL_INTERVAL_MS = 250;

function seeLog(target: HealthTarget): string {
  const logFile = target.logFile ?? target.process?.logFile;
  return logFile ? ` — see ${logFile}` : '';
}

async function poll(target: HealthTarget, check: HealthCheck, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + target.timeoutMs;
  let lastProblem = 'no answer yet';
  while (!signal.aborted) {
    try {
      await check();
      return;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) break;
    await delay(POLL_INTERVAL_MS);
  }
  if (signal.aborted) return;
  throw new StackError(
    `${target.name} did not come up within ${target.timeoutMs / 1000}s (${lastProblem})${seeLog(target)}`,
  );
}

/** Waits until `check` passes, failing on timeout or as soon as the part's process exits. */
export async function waitUntilHealthy(target: HealthTarget, check: HealthCheck): Promise<void> {
  const controller = new AbortController();
  const racers = [poll(target, check, controller.signal)];
  if (target.process) {
    racers.push(
      target.process.exited.then((info) => {
        if (controller.signal.aborted) return;
        throw new StackError(
          `${target.name} ${describeExit(info)} while starting${seeLog(target)}`,
        );
      }),
    );
  }
  try {
    await Promise.race(racers);
  } finally {
    controller.abort();
  }
}

export function tcpOpen(host: string, port: number): HealthCheck {
  return () =>
    new Promise((resolve, reject) => {
      const socket = connect({ host, port, timeout: 1000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(new Error(`no TCP answer from ${host}:${port}`));
      });
      socket.once('error', (error) => reject(new Error(`TCP ${host}:${port}: ${error.message}`)));
    });
}

export function httpOk(url: string): HealthCheck {
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
    await response.body?.cancel();
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  };
}

export function mongoPing(uri: string): HealthCheck {
  return async () => {
    const client = new MongoClient(uri, {
      serverSelectionTimeoutMS: 2000,
      connectTimeoutMS: 2000,
    });
    try {
      await client.db('admin').command({ ping: 1 });
    } finally {
      await client.close();
    }
  };
}

const execFileAsync = promisify(execFile);

/** Runs the Temporal CLI; a failure's message is the CLI's own last line of complaint. */
export async function runTemporalCli(
  cliPath: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cliPath, args, { timeout: 5000, env });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const last = stderr.trim().split('\n').at(-1)?.trim();
    throw new Error(last || `${cliPath} ${args.slice(0, 3).join(' ')} failed`, { cause: error });
  }
}

/**
 * Asks the server over gRPC for the namespace's search attributes: that proves the frontend
 * serves requests and that the attributes runs are started with are registered.
 */
export function temporalReady(
  cliPath: string,
  address: string,
  namespace: string,
  attributes: readonly string[],
): HealthCheck {
  return async () => {
    const args = ['operator', 'search-attribute', 'list'];
    args.push('--address', address, '--namespace', namespace, '--output', 'json');
    const listed = JSON.parse(await runTemporalCli(cliPath, args)) as {
      customAttributes?: Record<string, string>;
    };
    const missing = attributes.filter((name) => !listed.customAttributes?.[name]);
    if (missing.length > 0) {
      throw new Error(`search attributes not registered: ${missing.join(', ')}`);
    }
  };
}
