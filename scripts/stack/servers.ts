import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { searchAttributeTypes } from '../../engine/src/temporal-names';
import { StackError } from './errors';
import { mongoPing, tcpOpen, temporalReady, httpOk, waitUntilHealthy } from './health';
import { findOnPath, ROOT, type Env, type ToolPaths } from './paths';
import { readPort, type PortClaim } from './ports';
import type { Supervisor } from './processes';

/** Either a Temporal the developer already runs, or a dev server this script starts. */
export type TemporalPlan =
  | { kind: 'external'; address: string; namespace: string; uiUrl: string | undefined }
  | {
      kind: 'dev-server';
      port: number;
      portVariable: string;
      /** Web UI port; undefined runs the server headless. */
      ui: { port: number; variable: string } | undefined;
      /** SQLite file for persistence; undefined keeps everything in memory. */
      dbFile: string | undefined;
      /** The codec server the Web UI decodes payloads with (the API's /codec). */
      uiCodecEndpoint?: string;
    };

/** Either a MongoDB the developer already runs, or a server this script starts. */
export type MongoPlan =
  | { kind: 'external'; uri: string }
  | { kind: 'mongod' | 'ferretdb'; port: number; portVariable: string; dataDir: string };

export interface ServerContext {
  supervisor: Supervisor;
  tools: ToolPaths;
  logDir: string;
  timeoutMs: number;
}

export interface RunningTemporal {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  /** The dev server's HTTP API (host:port), which workers must never let tasks call. */
  httpAddress?: string;
}

/** The dev server's HTTP API port: fixed beside the gRPC port, so workers know what to refuse. */
export const temporalHttpPort = (grpcPort: number): number => grpcPort + 10;

const LOOPBACK = '127.0.0.1';

/**
 * Dynamic config for the dev server. The history service reads its transfer queue (the tasks that
 * hand a new workflow task or activity to matching) at most `transferProcessorMaxPollRPS` times a
 * second per shard, 20 by default, and the dev server has one shard: every step of a chain waited
 * up to 50 ms for the next read (README.md, Performance). Reads follow new tasks, so a higher cap
 * costs nothing when idle; 1,000 (a read at most every millisecond) measured the same as 10,000.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string>> = {
  'history.transferProcessorMaxPollRPS': '1000',
};

/**
 * For the dev server's SQLite file: SQLite's default journal syncs the disk on every commit, which
 * made a chain step ~110 ms instead of ~24 ms in memory. In WAL mode with synchronous=NORMAL a
 * commit survives the server being killed; only a power cut or OS crash may lose the last ones.
 */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/**
 * MONGODB_URI wins; then a mongod on PATH; then the provisioned FerretDB, on the port `portVariable`
 * names (or `defaultPort`).
 */
export function chooseMongo(
  env: Env,
  portVariable: string,
  defaultPort: number,
  dataRoot: string,
): MongoPlan {
  const port = readPort(env, portVariable, defaultPort);
  if (env.MONGODB_URI) return { kind: 'external', uri: env.MONGODB_URI };
  if (findOnPath('mongod', env)) {
    return { kind: 'mongod', port, portVariable, dataDir: join(dataRoot, 'mongodb') };
  }
  return { kind: 'ferretdb', port, portVariable, dataDir: join(dataRoot, 'ferretdb') };
}

export function temporalPortClaims(plan: TemporalPlan): PortClaim[] {
  if (plan.kind === 'external') return [];
  const claims = [
    { port: plan.port, label: 'Temporal gRPC', variable: plan.portVariable },
    { port: temporalHttpPort(plan.port), label: 'Temporal HTTP API', variable: plan.portVariable },
  ];
  if (plan.ui)
    claims.push({ port: plan.ui.port, label: 'Temporal Web UI', variable: plan.ui.variable });
  return claims;
}

export function mongoPortClaims(plan: MongoPlan): PortClaim[] {
  if (plan.kind === 'external') return [];
  const label = plan.kind === 'mongod' ? 'MongoDB' : 'FerretDB';
  return [{ port: plan.port, label, variable: plan.portVariable }];
}

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 1 || !Number.isInteger(port)) {
    throw new StackError(`TEMPORAL_ADDRESS must look like host:port, not "${address}"`);
  }
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, ''), port };
}

export async function startTemporal(
  plan: TemporalPlan,
  context: ServerContext,
): Promise<RunningTemporal> {
  if (plan.kind === 'external') {
    const { host, port } = splitAddress(plan.address);
    await waitUntilHealthy(
      { name: `Temporal at ${plan.address} (TEMPORAL_ADDRESS)`, timeoutMs: context.timeoutMs },
      tcpOpen(host, port),
    );
    return { address: plan.address, namespace: plan.namespace, uiUrl: plan.uiUrl };
  }
  const attributeNames = Object.keys(searchAttributeTypes);
  const args = ['server', 'start-dev', '--ip', LOOPBACK, '--port', String(plan.port)];
  args.push('--http-port', String(temporalHttpPort(plan.port)));
  args.push(...(plan.ui ? ['--ui-port', String(plan.ui.port)] : ['--headless']));
  if (plan.ui && plan.uiCodecEndpoint) args.push('--ui-codec-endpoint', plan.uiCodecEndpoint);
  if (plan.dbFile) {
    mkdirSync(join(plan.dbFile, '..'), { recursive: true });
    args.push('--db-filename', plan.dbFile);
    for (const pragma of DEV_SERVER_SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  for (const [name, type] of Object.entries(searchAttributeTypes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) {
    args.push('--dynamic-config-value', `${key}=${value}`);
  }
  args.push('--log-level', 'warn');
  const server = context.supervisor.start({
    name: 'Temporal dev server',
    command: context.tools.temporal,
    args,
    cwd: ROOT,
    env: { ...process.env },
    logFile: join(context.logDir, 'temporal.log'),
  });
  const address = `${LOOPBACK}:${plan.port}`;
  const target = { name: 'Temporal dev server', timeoutMs: context.timeoutMs, process: server };
  await waitUntilHealthy(
    target,
    temporalReady(context.tools.temporal, address, 'default', attributeNames),
  );
  const uiUrl = plan.ui ? `http://${LOOPBACK}:${plan.ui.port}` : undefined;
  if (uiUrl) await waitUntilHealthy({ ...target, name: 'Temporal Web UI' }, httpOk(uiUrl));
  return {
    address,
    namespace: 'default',
    uiUrl,
    httpAddress: `${LOOPBACK}:${temporalHttpPort(plan.port)}`,
  };
}

function mongoCommand(plan: Exclude<MongoPlan, { kind: 'external' }>, tools: ToolPaths) {
  if (plan.kind === 'mongod') {
    const args = ['--bind_ip', LOOPBACK, '--port', String(plan.port), '--dbpath', plan.dataDir];
    return { name: 'MongoDB (mongod)', command: 'mongod', args, log: 'mongodb.log' };
  }
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${plan.dataDir}/`,
    `--state-dir=${plan.dataDir}`,
    `--listen-addr=${LOOPBACK}:${plan.port}`,
    '--telemetry=disable',
    // FerretDB's debug listener would take a fixed port (8088); nothing here needs it.
    '--debug-addr=-',
    '--log-level=warn',
  ];
  return { name: 'FerretDB', command: tools.ferretdb, args, log: 'ferretdb.log' };
}

export async function startMongo(plan: MongoPlan, context: ServerContext): Promise<string> {
  if (plan.kind === 'external') {
    await waitUntilHealthy(
      { name: 'MongoDB at MONGODB_URI', timeoutMs: context.timeoutMs },
      mongoPing(plan.uri),
    );
    return plan.uri;
  }
  mkdirSync(plan.dataDir, { recursive: true });
  const { name, command, args, log } = mongoCommand(plan, context.tools);
  const server = context.supervisor.start({
    name,
    command,
    args,
    cwd: ROOT,
    env: { ...process.env },
    logFile: join(context.logDir, log),
  });
  const uri = `mongodb://${LOOPBACK}:${plan.port}`;
  const target = { name, timeoutMs: context.timeoutMs, process: server };
  await waitUntilHealthy(target, tcpOpen(LOOPBACK, plan.port));
  await waitUntilHealthy(target, mongoPing(uri));
  return uri;
}

/** The two servers everything else needs, as a caller plans them. */
export interface ServerPlans {
  temporal: TemporalPlan;
  mongo: MongoPlan;
}

export interface RunningServers {
  temporal: RunningTemporal;
  mongoUri: string;
}

export function serverPortClaims(plans: ServerPlans): PortClaim[] {
  return [...temporalPortClaims(plans.temporal), ...mongoPortClaims(plans.mongo)];
}

/** Starts (or waits for) Temporal and MongoDB side by side. */
export async function startServers(
  plans: ServerPlans,
  context: ServerContext,
): Promise<RunningServers> {
  const [temporal, mongoUri] = await Promise.all([
    startTemporal(plans.temporal, context),
    startMongo(plans.mongo, context),
  ]);
  return { temporal, mongoUri };
}
