/**
 * Starts, once for all end-to-end files: the stand-ins on free ports (in this process), the real
 * API and a real worker as child processes against the Temporal and MongoDB servers named by
 * TEMPORAL_ADDRESS / MONGODB_URI, with a unique database and task queue; then creates the demo
 * connections as the admin. Fails with a clear message when a server is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { TestProject } from 'vitest/node';
import { connectionRequest, demoConnections } from '../../src/connections';
import { startStandins, type Standins } from '../../src/standins';
import { Api, ApiError, type JobSummary } from '../support/api';
import { assertReachable, freePort, hostPort } from '../support/network';
import { API_ENTRY, Child, WORKER_ENTRY, waitFor } from '../support/processes';
import './context';

const FREE = { iam: 0, catalog: 0, entities: 0, network: 0, erp: 0, smtp: 0, inbox: 0 };

/** The parent's environment without any Batchgraph setting that could leak into the children. */
function baseEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith('BATCHGRAPH_') && entry[0] !== 'MONGODB_DB',
    ),
  );
}

async function createConnections(api: Api, origins: Standins['urls']): Promise<void> {
  for (const connection of demoConnections) {
    await api.request(
      'POST',
      '/api/connections',
      connectionRequest(connection, origins),
      [201, 409],
    );
  }
}

/** Deletes every job (and so its Temporal Schedule) so no schedule outlives the test run. */
async function deleteAllJobs(api: Api): Promise<void> {
  const page = await api.get<{ items: JobSummary[] }>('/api/jobs?pageSize=200');
  for (const job of page.items) {
    await api.request('DELETE', `/api/jobs/${job.id}`, undefined, [204, 404]);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const temporalAddress = process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const mongoUri = process.env.MONGODB_URI || 'mongodb://127.0.0.1:27017';
  const temporal = hostPort(temporalAddress, 7233);
  const mongo = hostPort(mongoUri, 27017);
  await assertReachable(
    `Temporal (TEMPORAL_ADDRESS=${temporalAddress})`,
    temporal.host,
    temporal.port,
  );
  await assertReachable(`MongoDB (MONGODB_URI=${mongoUri})`, mongo.host, mongo.port);

  const unique = `examples-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const logDir = mkdtempSync(join(tmpdir(), 'batchgraph-examples-'));
  const children: Child[] = [];
  let standins: Standins | undefined;
  let api: Api | undefined;

  const teardown = async (): Promise<void> => {
    if (api) await deleteAllJobs(api).catch((error: unknown) => console.error(error));
    await Promise.allSettled(children.map((child) => child.stop()));
    await standins?.close();
    const client = new MongoClient(mongoUri);
    try {
      await client.db(unique).dropDatabase();
    } finally {
      await client.close();
    }
  };

  try {
    standins = await startStandins({ ports: FREE });
    const apiPort = await freePort();
    const adminKey = randomBytes(24).toString('base64url');
    const env: Record<string, string> = {
      ...baseEnv(),
      TEMPORAL_ADDRESS: temporalAddress,
      MONGODB_URI: mongoUri,
      MONGODB_DB: unique,
      BATCHGRAPH_TASK_QUEUE: unique,
      BATCHGRAPH_API_PORT: String(apiPort),
      BATCHGRAPH_ADMIN_KEY: adminKey,
      BATCHGRAPH_SECRET_KEY: randomBytes(32).toString('base64'),
      BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1',
      BATCHGRAPH_SMTP_URL: `smtp://127.0.0.1:${standins.smtpPort}`,
      BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS: '2',
      BATCHGRAPH_LOG_LEVEL: 'warn',
    };
    const apiChild = Child.start('API', API_ENTRY, env, join(logDir, 'api.log'));
    children.push(apiChild);
    children.push(
      Child.start(
        'worker',
        WORKER_ENTRY,
        { ...env, BATCHGRAPH_WORKER_QUEUES: unique },
        join(logDir, 'worker.log'),
      ),
    );
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor(
      apiChild,
      `the API at ${apiUrl} did not become healthy`,
      async () => {
        const response = await fetch(`${apiUrl}/api/health`);
        return response.status === 200 ? true : undefined;
      },
      90_000,
    );
    api = new Api(apiUrl, adminKey);
    // The admin key is seeded just after the API listens: wait until it is accepted.
    await waitFor(
      apiChild,
      'the API did not accept the admin key',
      async () => {
        try {
          return await api?.get('/api/me');
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) return undefined;
          throw error;
        }
      },
      30_000,
    );
    await createConnections(api, standins.urls);
    for (const child of children) {
      if (!child.running) throw new Error(`a child process stopped: ${child.describe()}`);
    }
    project.provide('e2e', {
      apiUrl,
      adminKey,
      standins: standins.urls,
      env,
      taskQueue: unique,
      logDir,
    });
  } catch (error) {
    await teardown().catch(() => undefined);
    throw error;
  }
  return teardown;
}
