/**
 * Runs the API in-process on port 0 against the real Temporal dev server and FerretDB, with a
 * database of its own (dropped by stop()) and a seeded admin key.
 */
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '@batchgraph/engine';
import { pino } from 'pino';
import { createApp } from '../src/app';
import { createKey, seedAdminKey } from '../src/auth';
import type { Services } from '../src/context';
import { ensureIndexes, openDatabase } from '../src/db';
import type { Role } from '../src/roles';
import { openTemporal, payloadCodecs, temporalVersion } from '../src/temporal';

export const TEMPORAL_ADDRESS = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
export const MONGODB_URI = process.env['MONGODB_URI'] ?? 'mongodb://127.0.0.1:27017';
export const TEMPORAL_CLI =
  process.env['TEMPORAL_CLI_PATH'] ??
  fileURLToPath(new URL('../../.tools/venv/bin/temporal', import.meta.url));

export interface Harness {
  url: string;
  adminKey: string;
  services: Services;
  config: Config;
  dbName: string;
  taskQueue: string;
  keyFor(role: Role): Promise<string>;
  api(
    method: string,
    path: string,
    options?: {
      key?: string | null;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    },
  ): Promise<ApiResponse>;
  stop(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Tests read into response bodies freely; a wrong shape fails the assertion that reads it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  temporalAddress?: string;
  mongoUri?: string;
}

export async function startHarness(name: string, options: HarnessOptions = {}): Promise<Harness> {
  const suffix = randomBytes(3).toString('hex');
  const dbName = `bg_api_${name}_${suffix}`;
  const taskQueue = `api-${name}-${suffix}`;
  const adminKey = `bg_${randomBytes(32).toString('hex')}`;
  const config = loadConfig({
    TEMPORAL_ADDRESS: options.temporalAddress ?? TEMPORAL_ADDRESS,
    MONGODB_URI: options.mongoUri ?? MONGODB_URI,
    MONGODB_DB: dbName,
    BATCHGRAPH_TASK_QUEUE: taskQueue,
    BATCHGRAPH_ADMIN_KEY: adminKey,
    BATCHGRAPH_SECRET_KEY: randomBytes(32).toString('base64'),
    BATCHGRAPH_RATE_LIMIT_PER_MINUTE: '1000000',
    ...options.env,
  });
  const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const database = openDatabase(config.MONGODB_URI, config.MONGODB_DB);
  const temporal = openTemporal(
    config.TEMPORAL_ADDRESS,
    config.TEMPORAL_NAMESPACE,
    {},
    await payloadCodecs(config),
  );
  if (options.mongoUri === undefined && options.temporalAddress === undefined) {
    await ensureIndexes(database).catch((cause: unknown) => {
      throw new Error(`FerretDB/MongoDB is not reachable at ${config.MONGODB_URI}`, { cause });
    });
    await temporalVersion(temporal).catch((cause: unknown) => {
      throw new Error(`Temporal is not reachable at ${config.TEMPORAL_ADDRESS}`, { cause });
    });
    await seedAdminKey(database, adminKey);
  }
  const { app, services } = createApp({ config, database, temporal, logger });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: Harness['api'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? adminKey : opts.key;
    if (key !== null) headers['authorization'] = `Bearer ${key}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (docs page, metrics): keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  const keys = new Map<Role, string>();
  return {
    url,
    adminKey,
    services,
    config,
    dbName,
    taskQueue,
    api,
    async keyFor(role) {
      const known = keys.get(role);
      if (known !== undefined) return known;
      const { key } = await createKey(database, `${role} key`, role, null);
      keys.set(role, key);
      return key;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // Runs started here that no worker will finish (e.g. schedule triggers) are ended.
      const leftovers = services.temporal.client.workflow.list({
        query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
      });
      for await (const run of leftovers) {
        await services.temporal.client.workflow
          .getHandle(run.workflowId)
          .terminate('test over')
          .catch(() => undefined);
      }
      if (options.mongoUri === undefined) {
        // Schedules live in Temporal, outside the dropped database: remove the ones we made.
        const scheduled = await database.jobs.find({ schedule: { $exists: true } }).toArray();
        await Promise.all(scheduled.map((job) => services.schedules.remove(job._id)));
        await database.db.dropDatabase();
      }
      await database.client.close();
      await temporal.connection.close();
    },
  };
}

/** A small valid job document. */
export function jobDocument(
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    formatVersion: 1,
    name,
    tasks: [
      { id: 'wait', type: 'delay', params: { seconds: 0 } },
      { id: 'after', type: 'delay', params: { seconds: 0 } },
    ],
    edges: [{ from: 'wait', to: 'after', on: 'success' }],
    ...extra,
  };
}
