/**
 * http tasks never reach the product's own servers, whatever the allow-list says: the worker
 * knows their addresses from its configuration and refuses them, by name or resolved address,
 * before connecting.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../src/index';
import { activityEnv, failureOf, identity, testConfig } from './support/activity';

const names = ['temporal', 'temporalHttp', 'temporalUi', 'mongo', 'api', 'editor'] as const;
const servers = new Map<string, Server>();
const ports = {} as Record<(typeof names)[number], number>;
let connections = 0;

beforeAll(async () => {
  for (const name of names) {
    const server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(name, server);
    ports[name] = (server.address() as AddressInfo).port;
  }
});

afterAll(async () => {
  await Promise.all(
    [...servers.values()].map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

describe('the product’s own servers', () => {
  it('are refused before connecting, whatever the allow-list says', async () => {
    const activities = createActivities({
      config: testConfig({
        BATCHGRAPH_HTTP_ALLOWED_HOSTS: '*,127.0.0.0/8',
        TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
        TEMPORAL_UI_URL: `http://localhost:${ports.temporalUi}`,
        MONGODB_URI: `mongodb://user:pw@127.0.0.1:${ports.mongo}/batchgraph`,
        BATCHGRAPH_API_PORT: String(ports.api),
        BATCHGRAPH_PUBLIC_URL: `http://127.0.0.1:${ports.editor}`,
        BATCHGRAPH_HTTP_PROTECTED: `127.0.0.1:${ports.temporalHttp}`,
      }),
    });
    const urls = [
      `http://127.0.0.1:${ports.temporal}/`,
      `http://127.0.0.1:${ports.temporalHttp}/api/v1/namespaces/default/workflows`,
      `http://127.0.0.1:${ports.temporalUi}/`,
      `http://localhost:${ports.temporalUi}/`,
      `http://127.0.0.2:${ports.mongo}/`,
      `http://[::1]:${ports.api}/api/jobs`,
      `http://localhost:${ports.api}/api/jobs`,
      `http://127.0.0.1:${ports.editor}/`,
    ];
    for (const url of urls) {
      const failure = await failureOf(
        activityEnv().run(activities.http, {
          runId: 'run-1',
          taskId: 'call',
          startedBy: identity,
          params: { method: 'GET', url },
        }),
      );
      expect(failure.type, url).toBe('HostNotAllowed');
      expect(failure.nonRetryable, url).toBe(true);
      expect(failure.message, url).toMatch(/which tasks may never call/);
    }
    expect(connections).toBe(0);
  });

  it('CIDR entries admit the addresses in their range', async () => {
    const activities = createActivities({
      config: testConfig({ BATCHGRAPH_HTTP_ALLOWED_HOSTS: '10.0.0.0/8' }),
    });
    const failure = await failureOf(
      activityEnv().run(activities.http, {
        runId: 'run-1',
        taskId: 'call',
        startedBy: identity,
        params: { method: 'GET', url: `http://127.0.0.1:${ports.editor}/` },
      }),
    );
    expect(failure.message).toContain('not in the worker');
  });
});
