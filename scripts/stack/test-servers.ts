/**
 * The dedicated test servers: a Temporal dev server and a MongoDB-compatible server on their own
 * ports (never a developer's running stack), and the environment the tests read them from. Used by
 * `scripts/test` and by `scripts/with-test-servers` for a focused run.
 */
import { join } from 'node:path';
import { ROOT, toolPaths } from './paths';
import { assertPortsFree, readPort } from './ports';
import type { Supervisor } from './processes';
import { chooseMongo, serverPortClaims, startServers, type TemporalPlan } from './servers';
import { readTimeoutMs } from './settings';

/** Starts the test servers under `supervisor`; returns the environment the tests get. */
export async function startTestServers(
  supervisor: Supervisor,
  scratch: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NodeJS.ProcessEnv> {
  const tools = toolPaths(env);
  const logDir = join(ROOT, 'artifacts/test-servers');
  const temporal: TemporalPlan = {
    kind: 'dev-server',
    port: readPort(env, 'BATCHGRAPH_TEST_TEMPORAL_PORT', 17233),
    portVariable: 'BATCHGRAPH_TEST_TEMPORAL_PORT',
    ui: undefined,
    dbFile: undefined,
  };
  const mongo = chooseMongo(env, 'BATCHGRAPH_TEST_MONGO_PORT', 17017, scratch);
  await assertPortsFree(serverPortClaims({ temporal, mongo }));
  const context = { supervisor, tools, logDir, timeoutMs: readTimeoutMs(env) };
  console.log(`\n[batchgraph] starting the test servers (logs in ${logDir})`);
  const { temporal: running, mongoUri } = await startServers({ temporal, mongo }, context);
  console.log(`[batchgraph] test servers up: Temporal ${running.address}, MongoDB ${mongoUri}`);
  return {
    ...env,
    TEMPORAL_ADDRESS: running.address,
    TEMPORAL_NAMESPACE: running.namespace,
    MONGODB_URI: mongoUri,
    TEMPORAL_TEST_SERVER_PATH: tools.temporalTestServer,
    TEMPORAL_CLI_PATH: tools.temporal,
    CHROMIUM_PATH: env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
}
