/** The API process: read the configuration, open MongoDB and Temporal, listen, stop gracefully. */
import { loadConfig } from '@batchgraph/engine';
import { pino } from 'pino';
import { createApp } from './app';
import { seedAdminKey } from './auth';
import { ensureIndexes, openDatabase } from './db';
import { assignMissingOwners } from './jobs/ownership';
import { clientSecurity, openTemporal, payloadCodecs } from './temporal';

const config = loadConfig(process.env);
const logger = pino({ level: config.BATCHGRAPH_LOG_LEVEL, name: 'batchgraph-api' });
const database = openDatabase(config.MONGODB_URI, config.MONGODB_DB);
const temporal = openTemporal(
  config.TEMPORAL_ADDRESS,
  config.TEMPORAL_NAMESPACE,
  clientSecurity(config),
  await payloadCodecs(config),
);

/** MongoDB may still be starting: keep trying to prepare it instead of refusing to start. */
async function prepareDatabase(): Promise<void> {
  for (;;) {
    try {
      await ensureIndexes(database);
      await seedAdminKey(database, config.BATCHGRAPH_ADMIN_KEY);
      await assignMissingOwners(database);
      return;
    } catch (error) {
      logger.warn({ err: error }, 'MongoDB not ready; retrying in 2 s');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

const { app } = createApp({ config, database, temporal, logger });
const server = app.listen(config.BATCHGRAPH_API_PORT, config.BATCHGRAPH_API_HOST, () => {
  logger.info(
    `API listening on http://${config.BATCHGRAPH_API_HOST}:${config.BATCHGRAPH_API_PORT}`,
  );
});
void prepareDatabase();

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: shutting down`);
  server.close(() => {
    void Promise.allSettled([database.client.close(), temporal.connection.close()]).then(() =>
      process.exit(0),
    );
  });
  // Open event streams keep connections alive; end them after a grace period.
  setTimeout(() => server.closeAllConnections(), 5000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
