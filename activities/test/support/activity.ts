/** Runs activities through Temporal's MockActivityEnvironment and reads how they failed. */
import type { Config, RunIdentity } from '@batchgraph/engine';
import { loadConfig, signRunIdentity } from '@batchgraph/engine';
import type { Info } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';

export const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ BATCHGRAPH_SECRET_KEY: SECRET_KEY, ...env });
}

/** Keeps the SDK's activity logs (failures are expected here) out of the test output. */
const quiet: Logger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Temporal's MockActivityEnvironment with `run` typed by the activity it runs. */
export class ActivityEnv {
  private readonly mock: MockActivityEnvironment;

  constructor(info: Partial<Info>) {
    this.mock = new MockActivityEnvironment(info, { logger: quiet });
  }

  run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    return this.mock.run<A, R, typeof fn>(fn, ...args);
  }

  /** Every heartbeat's details, as the activity sent them. */
  onHeartbeat<T>(listener: (details: T) => void): void {
    this.mock.on('heartbeat', listener);
  }

  cancel(): void {
    this.mock.cancel();
  }
}

export function activityEnv(info: Partial<Info> = {}): ActivityEnv {
  return new ActivityEnv({ startToCloseTimeoutMs: 20_000, ...info });
}

/** The ApplicationFailure a promise rejects with (fails the test if it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApplicationFailure)) {
    throw new Error(`expected an ApplicationFailure, got ${String(error)}`, { cause: error });
  }
  return error;
}

/** Proven as the API proves it, for the mock environment's workflow id ('test'). */
export function provenIdentity(id: string, name: string): Promise<RunIdentity> {
  return signRunIdentity(SECRET_KEY, { id, name }, 'run', 'test');
}

export const identity = await provenIdentity('user-1', 'Ada');
