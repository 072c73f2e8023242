/**
 * The worker process: `npm run worker -w @batchgraph/workflows`. Serves the interpreter workflow
 * and every task type's activity on the configured task queues until SIGTERM or SIGINT, then
 * finishes running tasks within BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS and exits 0.
 */
import { hostname } from 'node:os';
import { EncryptionCodec, loadConfig, parsePayloadKeys, workerIdentity } from '@batchgraph/engine';
import { createActivities } from '@batchgraph/activities';
import { MongoClient } from 'mongodb';
import { connectToTemporal } from './connection';
import { createLogger } from './logger';
import { installRuntime } from './runtime';
import { startTracing } from './tracing';
import { createWorkers, runWorkers, workerQueues } from './worker-options';

const config = loadConfig(process.env);
const logger = createLogger(config);

async function main(): Promise<void> {
  installRuntime(config, logger);
  const mongo = await new MongoClient(config.MONGODB_URI).connect();
  try {
    const connection = await connectToTemporal(config);
    const tracing = startTracing(config);
    try {
      const activities = createActivities({ config, db: mongo.db(config.MONGODB_DB) });
      // The identity says whether this worker runs command tasks, for the API's worker health.
      const identity = workerIdentity(
        `${process.pid}@${hostname()}`,
        config.BATCHGRAPH_COMMANDS_ALLOWED.length > 0,
      );
      const keys = parsePayloadKeys(config.BATCHGRAPH_PAYLOAD_KEYS);
      const payloadCodecs = keys === undefined ? [] : [await EncryptionCodec.create(keys)];
      const workers = await createWorkers({
        connection,
        config,
        activities,
        tracing,
        identity,
        payloadCodecs,
      });
      logger.info(
        {
          queues: workerQueues(config),
          namespace: config.TEMPORAL_NAMESPACE,
          // One per queue: `<pid>@<host> commands:on|off@<queue>`.
          identities: workers.map((worker) => worker.options.identity),
          tracing: tracing !== undefined,
        },
        'worker started',
      );
      await runWorkers(workers);
    } finally {
      // Spans that cannot be exported are lost; the worker still stops cleanly.
      await tracing
        ?.shutdown()
        .catch((error: unknown) => logger.warn({ err: error }, 'the last spans were not exported'));
      await connection.close();
    }
  } finally {
    await mongo.close();
  }
}

main().then(
  () => {
    logger.info('worker stopped');
    process.exit(0);
  },
  (error: unknown) => {
    logger.fatal({ err: error }, 'worker failed');
    process.exit(1);
  },
);
