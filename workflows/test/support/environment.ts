/**
 * The setup the integration test files share, registered as their beforeAll/afterAll: a harness
 * (dev server or time-skipping server, with FerretDB), the HTTP stand-in, and, unless the file runs
 * worker processes of its own, the interpreter bundled once with in-process workers on the
 * harness's default queue. Each file states only what differs. A file's own afterAll, registered
 * after this call, runs before these close (Vitest runs afterAll hooks last-registered first).
 */
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { bundleInterpreter } from '../../src/bundle';
import {
  connect,
  connectTimeSkipping,
  startWorkers,
  type Harness,
  type WorkerGroup,
} from './harness';
import { StandIn } from './stand-in';

export interface EnvironmentOptions {
  /** The time-skipping test server instead of the dev server. */
  server?: 'dev' | 'time-skipping';
  /** `none`: no bundle and no workers; the file starts worker processes itself. */
  workers?: 'in-process' | 'none';
  /** Identity of the in-process workers. */
  workerIdentity?: string;
}

/** What the file's tests use; reading it before beforeAll has run throws. */
export interface TestEnvironment {
  readonly harness: Harness;
  readonly standIn: StandIn;
  /** The interpreter bundle of the in-process workers, e.g. for more workers or replay. */
  readonly bundle: WorkflowBundle;
  /** The harness's default task queue, which the in-process workers serve. */
  readonly queue: string;
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not set up: use it in a test or a hook`);
  return value;
}

export function useTestEnvironment(
  name: string,
  options: EnvironmentOptions = {},
): TestEnvironment {
  const { server = 'dev', workers: workerMode = 'in-process', workerIdentity } = options;
  let harness: Harness | undefined;
  let standIn: StandIn | undefined;
  let bundle: WorkflowBundle | undefined;
  let workers: WorkerGroup | undefined;

  beforeAll(async () => {
    [harness, standIn, bundle] = await Promise.all([
      server === 'time-skipping' ? connectTimeSkipping(name) : connect(name),
      StandIn.start(),
      workerMode === 'in-process' ? bundleInterpreter() : undefined,
    ]);
    if (bundle !== undefined) {
      workers = await startWorkers(harness, bundle, { identity: workerIdentity });
    }
  });

  afterAll(async () => {
    await workers?.stop();
    await standIn?.close();
    await harness?.close();
  });

  return {
    get harness() {
      return ready(harness, 'the harness');
    },
    get standIn() {
      return ready(standIn, 'the stand-in');
    },
    get bundle() {
      return ready(bundle, 'the interpreter bundle (workers: in-process)');
    },
    get queue() {
      return ready(harness, 'the harness').config.BATCHGRAPH_TASK_QUEUE;
    },
  };
}
