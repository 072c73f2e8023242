/**
 * Test harness: real Temporal dev server, real FerretDB, real activities. Each test file gets its
 * own task queues and Mongo database; workers run in-process from a bundle built once per file.
 */
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import {
  compileJob,
  loadConfig,
  type Config,
  type Plan,
  type RunInput,
  type RunResult,
  type RunView,
  isOutputRef,
  RUN_STATE_QUERY,
  WORKFLOW_TYPE,
} from '@batchgraph/engine';
import { createActivities } from '@batchgraph/activities';
import { MongoOutputStore } from '@batchgraph/activities/output-store';
import {
  Client,
  Connection,
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, type Worker, type WorkflowBundle } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { MongoClient, type Db } from 'mongodb';
import { createWorkers } from '../../src/worker-options';
import { runSearchAttributes } from '../../src/workflows/search-attributes';

export const baseConfig: Config = loadConfig(process.env);

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface Harness {
  config: Config;
  client: Client;
  connection: NativeConnection;
  mongo: MongoClient;
  db: Db;
  close(): Promise<void>;
}

function testConfig(name: string): Config {
  const queue = uniqueName(`wf-${name}`);
  return loadConfig({
    ...process.env,
    BATCHGRAPH_TASK_QUEUE: queue,
    BATCHGRAPH_WORKER_QUEUES: '',
    BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1',
    MONGODB_DB: `bg_wf_${name.replace(/\W/g, '_')}_${randomUUID().slice(0, 8)}`,
    BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS: '5',
  });
}

async function connectMongo(config: Config): Promise<MongoClient> {
  return new MongoClient(config.MONGODB_URI, { serverSelectionTimeoutMS: 5000 })
    .connect()
    .catch((cause: unknown) => {
      throw new Error(`MongoDB is not reachable at ${config.MONGODB_URI} (MONGODB_URI)`, {
        cause,
      });
    });
}

/** Connects to the dev server and FerretDB, failing with a clear message when either is down. */
export async function connect(name: string): Promise<Harness> {
  const config = testConfig(name);
  const address = config.TEMPORAL_ADDRESS;
  const clientConnection = await Connection.connect({ address, connectTimeout: 5000 }).catch(
    (cause: unknown) => {
      throw new Error(`Temporal is not reachable at ${address} (TEMPORAL_ADDRESS)`, { cause });
    },
  );
  const connection = await NativeConnection.connect({ address });
  const mongo = await connectMongo(config);
  const db = mongo.db(config.MONGODB_DB);
  return {
    config,
    client: new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }),
    connection,
    mongo,
    db,
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await mongo.close();
      await connection.close();
      await clientConnection.close();
    },
  };
}

/** A time-skipping test server (its own process) with FerretDB for the activities. */
export async function connectTimeSkipping(name: string): Promise<Harness> {
  const config = testConfig(name);
  const path =
    process.env.TEMPORAL_TEST_SERVER_PATH ??
    fileURLToPath(new URL('../../../.tools/venv/bin/temporal-test-server', import.meta.url));
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  const mongo = await connectMongo(config);
  const db = mongo.db(config.MONGODB_DB);
  return {
    config,
    client: env.client,
    connection: env.nativeConnection,
    mongo,
    db,
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await mongo.close();
      await env.teardown();
    },
  };
}

export interface WorkerGroup {
  workers: Worker[];
  stop(): Promise<void>;
}

/**
 * Starts in-process workers with the real activities: one per queue, the harness's default queue
 * (first) serving the interpreter too.
 */
export async function startWorkers(
  harness: Harness,
  bundle: WorkflowBundle,
  options: { queues?: string[]; identity?: string } = {},
): Promise<WorkerGroup> {
  const config: Config = {
    ...harness.config,
    BATCHGRAPH_WORKER_QUEUES: options.queues ?? [harness.config.BATCHGRAPH_TASK_QUEUE],
  };
  const workers = await createWorkers({
    connection: harness.connection,
    config,
    activities: createActivities({ config, db: harness.db }),
    workflowBundle: bundle,
    identity: options.identity,
  });
  const running = workers.map((worker) => worker.run());
  return {
    workers,
    async stop() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.all(running);
    },
  };
}

/** Compiles a job for the harness's queue; throws on validation errors. */
export function planOf(
  job: unknown,
  taskQueue: string,
  options: { jobId?: string; subplans?: Record<string, Plan> } = {},
): Plan {
  const compiled = compileJob(job, { taskQueue, version: 1, ...options });
  if (!compiled.ok) {
    throw new Error(`invalid job: ${compiled.errors.map((e) => `${e.path} ${e.message}`)}`);
  }
  return compiled.plan;
}

export const tester = { id: 'u-test', name: 'Test User' };

export interface StartExtra extends Partial<RunInput> {
  workflowId?: string;
  /** The time-skipping server knows no custom search attributes. */
  searchAttributes?: boolean;
}

export function startRun(
  client: Client,
  plan: Plan,
  extra: StartExtra = {},
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const { workflowId, searchAttributes = true, ...rest } = extra;
  const input: RunInput = { plan, trigger: 'manual', startedBy: tester, ...rest };
  return client.workflow.start(WORKFLOW_TYPE, {
    args: [input],
    taskQueue: plan.taskQueue,
    workflowId: workflowId ?? uniqueName(`run-${plan.job.name}`),
    ...(searchAttributes
      ? { typedSearchAttributes: runSearchAttributes(plan, input.trigger) }
      : {}),
  });
}

/** The run's RunResult, whether the workflow returned it or failed with it (RunFailed). */
export async function resultOf(handle: WorkflowHandle): Promise<RunResult> {
  try {
    return (await handle.result()) as RunResult;
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === 'RunFailed') {
      return cause.details?.[0] as RunResult;
    }
    throw error;
  }
}

export function queryView(handle: WorkflowHandle): Promise<RunView> {
  return handle.query<RunView>(RUN_STATE_QUERY);
}

/** Polls the run's view until `ready` holds (the run goes on meanwhile). */
export async function waitForView(
  handle: WorkflowHandle,
  ready: (view: RunView) => boolean,
): Promise<RunView> {
  for (;;) {
    const view = await queryView(handle);
    if (ready(view)) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Task id → final state. */
export function statesOf(view: RunView): Record<string, string> {
  return Object.fromEntries(Object.entries(view.tasks).map(([id, task]) => [id, task.state]));
}

/**
 * A task's full output, as the API reads it: from the store when the run holds a reference,
 * else the (small) value the run holds.
 */
export async function outputOf(db: Db, result: RunResult, taskId: string): Promise<unknown> {
  const held = result.outputs[taskId];
  if (!isOutputRef(held)) return held;
  const json = await new MongoOutputStore(db).get(held.outputRef);
  if (json === undefined) throw new Error(`the output of ${taskId} is not in the store`);
  return JSON.parse(json) as unknown;
}
