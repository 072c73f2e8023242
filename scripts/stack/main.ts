/**
 * The local stack: starts Temporal, MongoDB (or FerretDB), the stand-in services, the workers,
 * the API and the editor, waits until each answers, loads the example jobs, and supervises
 * everything until Ctrl-C. Entry point of scripts/start.
 */
import { join } from 'node:path';
import { standinOrigins } from '../../examples/src/ports';
import { loadExamples } from '../load-examples';
import {
  Apps,
  appPortClaims,
  readAppPorts,
  readStandinPorts,
  readWorkerGroups,
  standinAllowList,
  standinPortClaims,
} from './apps';
import { reportFailure } from './errors';
import { dataDir, toolPaths } from './paths';
import { assertPortsFree, readPort } from './ports';
import { describeExit, Supervisor } from './processes';
import { loadOrCreateSecrets } from './secrets';
import { chooseMongo, serverPortClaims, startServers, type TemporalPlan } from './servers';
import { readTimeoutMs, redactUri } from './settings';

const env = process.env;
const data = dataDir(env);
const logDir = join(data, 'logs');

let stopping: Promise<void> | undefined;

function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    if (!supervisor.isEmpty) console.log('[batchgraph] stopping…');
    await supervisor.stopAll();
    if (!supervisor.isEmpty) console.log('[batchgraph] stopped');
    process.exit(code);
  })();
  return stopping;
}

// The product's processes restart on their own (apps.ts); a server that dies ends the stack.
const supervisor = new Supervisor((managed, info) => {
  console.error(
    `[batchgraph] error: ${managed.name} ${describeExit(info)}; the stack cannot run without it, so it stops — see ${managed.logFile}`,
  );
  void stop(1);
});

function temporalPlan(): TemporalPlan {
  if (env.TEMPORAL_ADDRESS) {
    return {
      kind: 'external',
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      uiUrl: env.TEMPORAL_UI_URL || undefined,
    };
  }
  return {
    kind: 'dev-server',
    port: readPort(env, 'TEMPORAL_PORT', 7233),
    portVariable: 'TEMPORAL_PORT',
    ui: { port: readPort(env, 'TEMPORAL_UI_PORT', 8233), variable: 'TEMPORAL_UI_PORT' },
    dbFile: join(data, 'temporal/temporal.db'),
    // Payloads are encrypted (BATCHGRAPH_PAYLOAD_KEYS): the Web UI decodes them through the API.
    uiCodecEndpoint: `http://127.0.0.1:${readAppPorts(env).api[0]}`,
  };
}

function printSummary(lines: [string, string | undefined][]): void {
  console.log('\nBatchgraph is running:');
  for (const [label, value] of lines) {
    if (value !== undefined) console.log(`  ${label.padEnd(13)}${value}`);
  }
  console.log('Press Ctrl-C to stop everything.\n');
}

async function main(): Promise<void> {
  const tools = toolPaths(env);
  const timeoutMs = readTimeoutMs(env);
  const servers = {
    temporal: temporalPlan(),
    mongo: chooseMongo(env, 'BATCHGRAPH_MONGO_PORT', 27017, data),
  };
  const ports = readAppPorts(env);
  const workers = readWorkerGroups(env);
  const smtpUrl = env.BATCHGRAPH_SMTP_URL || 'smtp://127.0.0.1:2525';
  const standins = readStandinPorts({ ...env, BATCHGRAPH_SMTP_URL: smtpUrl });
  await assertPortsFree([
    ...serverPortClaims(servers),
    ...appPortClaims(ports),
    ...standinPortClaims(standins),
  ]);
  const secrets = loadOrCreateSecrets(data, env);
  console.log(`[batchgraph] starting; each part logs to ${logDir}/<part>.log`);

  const { temporal: runningTemporal, mongoUri } = await startServers(servers, {
    supervisor,
    tools,
    logDir,
    timeoutMs,
  });
  console.log(`[batchgraph] Temporal and MongoDB are up`);

  const apiUrl = `http://127.0.0.1:${ports.api[0]}`;
  const editorUrl = `http://127.0.0.1:${ports.editor}`;
  const appEnv: NodeJS.ProcessEnv = {
    ...env,
    ...secrets,
    TEMPORAL_ADDRESS: runningTemporal.address,
    TEMPORAL_NAMESPACE: runningTemporal.namespace,
    ...(runningTemporal.uiUrl ? { TEMPORAL_UI_URL: runningTemporal.uiUrl } : {}),
    MONGODB_URI: mongoUri,
    // Only the stand-ins the examples call: never Temporal, MongoDB, the API or the editor.
    BATCHGRAPH_HTTP_ALLOWED_HOSTS: env.BATCHGRAPH_HTTP_ALLOWED_HOSTS || standinAllowList(standins),
    BATCHGRAPH_HTTP_PROTECTED: [env.BATCHGRAPH_HTTP_PROTECTED, runningTemporal.httpAddress]
      .filter(Boolean)
      .join(','),
    BATCHGRAPH_SMTP_URL: smtpUrl,
    BATCHGRAPH_API_HOST: '127.0.0.1',
    BATCHGRAPH_API_PORT: String(ports.api[0]),
    BATCHGRAPH_API_URL: apiUrl,
    BATCHGRAPH_EDITOR_PORT: String(ports.editor),
    BATCHGRAPH_PUBLIC_URL: env.BATCHGRAPH_PUBLIC_URL || editorUrl,
    BATCHGRAPH_EDITOR_ORIGIN: env.BATCHGRAPH_EDITOR_ORIGIN || editorUrl,
  };
  const apps = new Apps({
    supervisor,
    logDir,
    env: appEnv,
    timeoutMs,
    temporal: runningTemporal,
    temporalCli: tools.temporal,
  });
  if (standins) await apps.startStandins(standins);
  await apps.startWorkers(workers);
  await apps.startApis(ports.api);
  await apps.startEditor(ports.editor);
  const examples = await loadExamples({
    apiUrl,
    adminKey: secrets.BATCHGRAPH_ADMIN_KEY,
    ...(standins ? { standins: standinOrigins(standins) } : {}),
  });

  printSummary([
    ['editor', editorUrl],
    ['API', `${apiUrl}  (docs: ${apiUrl}/api/docs)`],
    ...ports.api
      .slice(1)
      .map((port, index): [string, string] => [`API ${index + 2}`, `http://127.0.0.1:${port}`]),
    ['Temporal UI', runningTemporal.uiUrl],
    ['Temporal', `${runningTemporal.address}  (namespace ${runningTemporal.namespace})`],
    ['MongoDB', redactUri(mongoUri)],
    ['admin key', secrets.BATCHGRAPH_ADMIN_KEY],
    ['workers', `${workers.length} (${workers.map((group) => group.name).join(', ') || 'none'})`],
    ['stand-ins', standins ? `running, mail goes to the SMTP sink at ${smtpUrl}` : 'none'],
    [
      'examples',
      `${examples.imported.length} imported, ${examples.existing.length} already present; ` +
        `demo connections ${[...examples.connections.created, ...examples.connections.existing].join(', ')}`,
    ],
    ['logs', `${logDir}/<part>.log`],
  ]);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((error: unknown) => {
  if (stopping) return;
  reportFailure(error);
  void stop(1);
});
