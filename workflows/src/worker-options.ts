/**
 * The workers of one process: one per task queue the process serves. All of them run activities;
 * the job's default queue also runs the interpreter workflow. Tests build workers in-process with
 * these same functions.
 */
import type { Config } from '@batchgraph/engine';
import type { Activities } from '@batchgraph/activities';
import {
  Worker,
  type NativeConnection,
  type WorkerOptions,
  type WorkflowBundle,
} from '@temporalio/worker';
import { batchgraphActivityInterceptors } from './activity-interceptors';
import { ignoreModules, workflowInterceptorModules, workflowsPath } from './bundle';
import type { Tracing } from './tracing';
import type { PayloadCodec } from '@temporalio/common';

export interface WorkerSetup {
  connection: NativeConnection;
  config: Config;
  activities: Activities;
  /**
   * A prebuilt interpreter bundle (tests bundle once); default: bundle at start-up. A prebuilt
   * bundle holds its workflow interceptors already (bundleInterpreter).
   */
  workflowBundle?: WorkflowBundle;
  identity?: string;
  /** OpenTelemetry interceptors and exporter, when tracing is on (startTracing). */
  tracing?: Tracing;
  /** Encrypt every payload (engine EncryptionCodec from BATCHGRAPH_PAYLOAD_KEYS); none: clear. */
  payloadCodecs?: PayloadCodec[];
}

/** BATCHGRAPH_WORKER_QUEUES, or just BATCHGRAPH_TASK_QUEUE. */
export function workerQueues(config: Config): string[] {
  const queues = config.BATCHGRAPH_WORKER_QUEUES ?? [];
  return queues.length > 0 ? [...new Set(queues)] : [config.BATCHGRAPH_TASK_QUEUE];
}

export function workerOptions(setup: WorkerSetup, taskQueue: string): WorkerOptions {
  const { config } = setup;
  const servesWorkflows = taskQueue === config.BATCHGRAPH_TASK_QUEUE;
  const workflows = setup.workflowBundle
    ? { workflowBundle: setup.workflowBundle }
    : { workflowsPath, bundlerOptions: { ignoreModules } };
  return {
    connection: setup.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    activities: setup.activities,
    dataConverter: { payloadCodecs: setup.payloadCodecs ?? [] },
    ...(servesWorkflows ? workflows : {}),
    interceptors: {
      activity: [
        ...(setup.tracing ? [setup.tracing.activityInterceptors] : []),
        batchgraphActivityInterceptors,
      ],
      workflowModules: [...workflowInterceptorModules, ...(setup.tracing?.workflowModules ?? [])],
    },
    ...(setup.tracing ? { sinks: setup.tracing.sinks } : {}),
    shutdownGraceTime: `${config.BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS}s`,
    // Cancellation reaches an activity with the server's answer to a heartbeat: send them often
    // enough that cancelling a run stops its tasks within seconds, not the SDK's default 30.
    defaultHeartbeatThrottleInterval: '2s',
    maxHeartbeatThrottleInterval: '3s',
    ...(setup.identity ? { identity: `${setup.identity}@${taskQueue}` } : {}),
  };
}

export function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  return Promise.all(
    workerQueues(setup.config).map((queue) => Worker.create(workerOptions(setup, queue))),
  );
}

/** Runs workers until all have stopped; when one fails, the others are shut down too. */
export async function runWorkers(workers: Worker[]): Promise<void> {
  const results = await Promise.allSettled(
    workers.map((worker) =>
      worker.run().catch((error: unknown) => {
        for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
        throw error;
      }),
    ),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
