/**
 * The worker process: `npm run worker -w @batchgraph/workflows`. Serves the interpreter workflow
 * and every task type's activity on the configured task queues until SIGTERM or SIGINT, then
 * finishes running tasks within BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS and exits 0.
 */
import { loadConfig } from '@batchgraph/engine';
import { createActivities } from '@batchgraph/activities';
import { NativeConnection } from '@temporalio/worker';
import { MongoClient } from 'mongodb';
import { createLogger } from './logger';
import { installRuntime } from './runtime';
import { createWorkers, runWorkers, workerQueues } from './worker-options';

const config = loadConfig(process.env);
const logger = createLogger(config);

async function main(): Promise<void> {
  installRuntime(config, logger);
  const mongo = await new MongoClient(config.MONGODB_URI).connect();
  try {
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    try {
      const activities = createActivities({ config, db: mongo.db(config.MONGODB_DB) });
      const workers = await createWorkers({ connection, config, activities });
      logger.info(
        { queues: workerQueues(config), namespace: config.TEMPORAL_NAMESPACE },
        'worker started',
      );
      await runWorkers(workers);
    } finally {
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
