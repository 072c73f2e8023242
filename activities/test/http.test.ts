import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collections, sealSecret, signRunIdentity } from '@batchgraph/engine';
import type { ConnectionDoc, ConnectionSecret, HttpParams } from '@batchgraph/engine';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../src/index';
import type { Activities, TaskInput } from '../src/index';
import {
  SECRET_KEY,
  activityEnv,
  failureOf,
  identity,
  provenIdentity,
  testConfig,
} from './support/activity';
import type { TestDb } from './support/mongo';
import { openTestDb } from './support/mongo';
import { StandIn } from './support/stand-in';

let standIn: StandIn;
let other: StandIn;
let mongo: TestDb;
let activities: Activities;

function input(
  params: Partial<HttpParams> & { url: string },
  runId = 'run-1',
): TaskInput<HttpParams> {
  return { runId, taskId: 'call', startedBy: identity, params: { method: 'GET', ...params } };
}

async function storeConnection(
  name: string,
  owner: string | null,
  secret: ConnectionSecret,
  origins: string[] | null = [standIn.url('')],
): Promise<void> {
  await mongo.db.collection<ConnectionDoc>(collections.connections).insertOne({
    name,
    kind: secret.kind,
    owner,
    ...(origins === null ? {} : { origins }),
    sealed: await sealSecret(SECRET_KEY, secret),
    createdAt: new Date(),
    createdBy: owner ?? 'admin',
  });
}

beforeAll(async () => {
  [standIn, other, mongo] = await Promise.all([
    StandIn.start(),
    StandIn.start(),
    openTestDb('http'),
  ]);
  activities = createActivities({
    config: testConfig({ BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1' }),
    db: mongo.db,
  });
  await storeConnection('idm', 'user-1', { kind: 'bearer', token: 'tok-user-1-secret' });
  await storeConnection('idm', null, { kind: 'basic', username: 'svc', password: 'shared-pw' });
  await storeConnection('keyed', null, { kind: 'header', header: 'X-Api-Key', value: 'key-123' });
});

afterAll(async () => {
  await Promise.all([standIn.close(), other.close(), mongo.close()]);
});

describe('http activity', () => {
  it('sends method, query, headers and a JSON body, and returns the parsed response', async () => {
    standIn.route('/accounts', (request) => ({
      status: 201,
      headers: { 'x-request': request.method },
      body: { created: JSON.parse(request.body) as unknown, page: request.query.get('page') },
    }));
    const output = await activityEnv().run(
      activities.http,
      input({
        method: 'POST',
        url: standIn.url('/accounts'),
        query: { page: '2' },
        headers: { 'X-Trace': 't-1' },
        body: { name: 'ada' },
      }),
    );
    expect(output.status).toBe(201);
    expect(output.headers['x-request']).toBe('POST');
    expect(output.body).toEqual({ created: { name: 'ada' }, page: '2' });
    const seen = standIn.requestsTo('/accounts').at(-1)!;
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-trace']).toBe('t-1');
    expect(seen.headers['idempotency-key']).toBe('run-1/call');
  });

  it('sends a string body as text and keeps a text response as text', async () => {
    standIn.route('/echo-text', (request) => ({ body: `got ${request.body}` }));
    const output = await activityEnv().run(
      activities.http,
      input({ method: 'PUT', url: standIn.url('/echo-text'), body: 'plain words' }),
    );
    expect(output.body).toBe('got plain words');
    expect(standIn.requestsTo('/echo-text').at(-1)!.headers['content-type']).toMatch(
      /^text\/plain/,
    );
  });

  it('succeeds on a declared expected status and fails on an undeclared 2xx', async () => {
    standIn.route('/gone', () => ({ status: 404, body: { missing: true } }));
    const ok = await activityEnv().run(
      activities.http,
      input({ url: standIn.url('/gone'), expectStatus: [404] }),
    );
    expect(ok.status).toBe(404);
    const failure = await failureOf(
      activityEnv().run(
        activities.http,
        input({ url: standIn.url('/plain'), expectStatus: [204] }),
      ),
    );
    expect(failure.message).toContain('→ 200 OK');
    expect(failure.nonRetryable).toBe(true);
  });

  it('classifies 5xx, 408 and 429 as retryable and other 4xx as final, quoting the body', async () => {
    standIn.route('/disable', () => ({ status: 503, body: 'maintenance window until 03:00' }));
    const unavailable = await failureOf(
      activityEnv().run(activities.http, input({ method: 'POST', url: standIn.url('/disable') })),
    );
    expect(unavailable.message).toBe(
      `POST ${standIn.origin}/disable → 503 Service Unavailable: maintenance window until 03:00`,
    );
    expect(unavailable.type).toBe('HttpStatus');
    expect(unavailable.nonRetryable).toBe(false);

    for (const [status, final] of [
      [408, false],
      [429, false],
      [404, true],
      [422, true],
    ] as const) {
      standIn.route(`/status-${status}`, () => ({ status, body: 'x'.repeat(500) }));
      const failure = await failureOf(
        activityEnv().run(activities.http, input({ url: standIn.url(`/status-${status}`) })),
      );
      expect(failure.nonRetryable, `status ${status}`).toBe(final);
      expect(failure.message).toContain(`${'x'.repeat(200)}…`);
      expect(failure.message).not.toContain('x'.repeat(201));
    }
  });

  it('makes the statuses listed in finalStatus non-retryable', async () => {
    const failure = await failureOf(
      activityEnv().run(
        activities.http,
        input({ method: 'POST', url: standIn.url('/disable'), finalStatus: [503] }),
      ),
    );
    expect(failure.nonRetryable).toBe(true);
  });

  it('passes Retry-After on as the next retry delay', async () => {
    standIn.route('/busy', () => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: 'slow down',
    }));
    const failure = await failureOf(
      activityEnv().run(activities.http, input({ url: standIn.url('/busy') })),
    );
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe('7s');
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = await StandIn.start();
    const url = closed.url('/nobody');
    await closed.close();
    const failure = await failureOf(activityEnv().run(activities.http, input({ url })));
    expect(failure.type).toBe('NetworkError');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toMatch(/network error: .*ECONNREFUSED/);
  });

  it('times out after params.timeoutSeconds as a retryable failure', async () => {
    standIn.route('/slow', () => ({ delayMs: 10_000 }));
    const failure = await failureOf(
      activityEnv().run(activities.http, input({ url: standIn.url('/slow'), timeoutSeconds: 0.2 })),
    );
    expect(failure.type).toBe('Timeout');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe(`GET ${standIn.origin}/slow → no response within 0.2s`);
  });

  it('aborts the request when the activity is cancelled', async () => {
    standIn.route('/hang', () => ({ delayMs: 20_000 }));
    const env = activityEnv();
    const heartbeats: unknown[] = [];
    env.onHeartbeat((details: unknown) => heartbeats.push(details));
    const running = env.run(activities.http, input({ url: standIn.url('/hang') }));
    await waitFor(() => standIn.requestsTo('/hang').length > 0);
    env.cancel();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(heartbeats.length).toBeGreaterThan(0);
  });

  it('refuses responses larger than the task output limit', async () => {
    const limit = testConfig().BATCHGRAPH_MAX_TASK_OUTPUT_BYTES;
    standIn.route('/huge', () => ({ body: { rows: 'r'.repeat(limit) } }));
    const failure = await failureOf(
      activityEnv().run(activities.http, input({ url: standIn.url('/huge') })),
    );
    expect(failure.type).toBe('OutputTooLarge');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(
      `more than the ${limit} bytes a task output may hold (BATCHGRAPH_MAX_TASK_OUTPUT_BYTES)`,
    );
  });

  it('sends the same Idempotency-Key on every attempt of a request', async () => {
    const params = { method: 'POST' as const, url: standIn.url('/charge'), body: { cents: 100 } };
    standIn.failFirst('run-7/call', 1, 502);
    const first = await failureOf(
      activityEnv({ attempt: 1 }).run(activities.http, input(params, 'run-7')),
    );
    expect(first.nonRetryable).toBe(false);
    const second = await activityEnv({ attempt: 2 }).run(activities.http, input(params, 'run-7'));
    expect(second.status).toBe(200);
    const keys = standIn.requestsTo('/charge').map((request) => request.headers['idempotency-key']);
    expect(keys).toEqual(['run-7/call', 'run-7/call']);
  });

  it('follows redirects but sends credentials only to the named origin', async () => {
    other.route('/landing', () => ({ body: { landed: true } }));
    standIn.route('/moved', () => ({ status: 302, headers: { location: other.url('/landing') } }));
    const output = await activityEnv().run(
      activities.http,
      input({ url: standIn.url('/moved'), connection: 'idm' }),
    );
    expect(output.body).toEqual({ landed: true });
    expect(standIn.requestsTo('/moved').at(-1)!.headers.authorization).toBe(
      'Bearer tok-user-1-secret',
    );
    expect(other.requestsTo('/landing').at(-1)!.headers.authorization).toBeUndefined();
  });
});

describe('connections', () => {
  it('applies the run identity’s own connection before the shared one', async () => {
    standIn.route('/whoami', (request) => ({
      body: { auth: request.headers.authorization ?? null },
    }));
    await activityEnv().run(
      activities.http,
      input({ url: standIn.url('/whoami'), connection: 'idm' }),
    );
    expect(standIn.requestsTo('/whoami').at(-1)!.headers.authorization).toBe(
      'Bearer tok-user-1-secret',
    );

    const someoneElse = {
      ...input({ url: standIn.url('/whoami'), connection: 'idm' }),
      startedBy: await provenIdentity('user-2', 'Bob'),
    };
    await activityEnv().run(activities.http, someoneElse);
    const basic = `Basic ${Buffer.from('svc:shared-pw').toString('base64')}`;
    expect(standIn.requestsTo('/whoami').at(-1)!.headers.authorization).toBe(basic);
  });

  it('opens no connection for an identity the API did not prove for this workflow', async () => {
    const forged = [
      { id: 'user-1', name: 'Ada' },
      { ...identity, id: 'user-2' },
      await signRunIdentity(Buffer.alloc(32, 9).toString('base64'), identity, 'run', 'test'),
      await signRunIdentity(SECRET_KEY, identity, 'run', 'job-other-20261201T000000Z'),
    ];
    for (const startedBy of forged) {
      const before = standIn.requestsTo('/whoami').length;
      const failure = await failureOf(
        activityEnv().run(activities.http, {
          ...input({ url: standIn.url('/whoami'), connection: 'keyed' }),
          startedBy,
        }),
      );
      expect(failure.type).toBe('IdentityNotVerified');
      expect(failure.nonRetryable).toBe(true);
      expect(standIn.requestsTo('/whoami')).toHaveLength(before);
    }
  });

  it('accepts a schedule proof in the runs the schedule starts, and in their sub-jobs', async () => {
    const scheduled = await signRunIdentity(SECRET_KEY, identity, 'schedule', 'job-nightly-ab12');
    for (const workflowId of [
      'job-nightly-ab12-2026-12-01T02:00:00Z',
      'job-nightly-ab12-2026-12-01T02:00:00Z-sub',
    ]) {
      await activityEnv({
        workflowExecution: { workflowId, runId: '00000000-0000-0000-0000-000000000000' },
      }).run(activities.http, {
        ...input({ url: standIn.url('/whoami'), connection: 'keyed' }),
        startedBy: scheduled,
      });
    }
    const failure = await failureOf(
      activityEnv({
        workflowExecution: {
          workflowId: 'job-nightly-ab12-x-2026-12-01T02:00:00Z',
          runId: '00000000-0000-0000-0000-000000000000',
        },
      }).run(activities.http, {
        ...input({ url: standIn.url('/whoami'), connection: 'keyed' }),
        startedBy: scheduled,
      }),
    );
    expect(failure.type).toBe('IdentityNotVerified');
  });

  it('applies a header connection', async () => {
    await activityEnv().run(
      activities.http,
      input({ url: standIn.url('/whoami'), connection: 'keyed' }),
    );
    expect(standIn.requestsTo('/whoami').at(-1)!.headers['x-api-key']).toBe('key-123');
  });

  it('fails for good when the connection does not exist, naming it', async () => {
    const failure = await failureOf(
      activityEnv().run(
        activities.http,
        input({ url: standIn.url('/whoami'), connection: 'nope' }),
      ),
    );
    expect(failure.type).toBe('ConnectionNotFound');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('connection "nope" not found');
  });

  it('never puts the secret into errors or heartbeats', async () => {
    standIn.route('/echo-auth', (request) => ({
      status: 500,
      body: 'server error' + (request.headers.authorization ? '' : '!'),
    }));
    const env = activityEnv();
    const heartbeats: unknown[] = [];
    env.onHeartbeat((details: unknown) => heartbeats.push(details));
    const failure = await failureOf(
      env.run(activities.http, input({ url: standIn.url('/echo-auth'), connection: 'idm' })),
    );
    expect(standIn.requestsTo('/echo-auth').at(-1)!.headers.authorization).toBe(
      'Bearer tok-user-1-secret',
    );
    const visible = JSON.stringify({
      message: failure.message,
      details: failure.details,
      heartbeats,
      cause: String(failure.cause),
    });
    expect(visible).not.toContain('tok-user-1-secret');
  });
});

describe('connections bound to their origins', () => {
  beforeAll(async () => {
    await storeConnection('scoped', null, { kind: 'bearer', token: 'scoped-token-9d2e' }, [
      `${standIn.url('')}/api`,
    ]);
    await storeConnection('legacy', null, { kind: 'bearer', token: 'legacy-token-77aa' }, null);
  });

  it('never sends the secret to an echo endpoint outside the connection’s origin', async () => {
    other.route('/echo', (request) => ({ body: { auth: request.headers.authorization ?? null } }));
    const failure = await failureOf(
      activityEnv().run(activities.http, input({ url: other.url('/echo'), connection: 'idm' })),
    );
    expect(failure.type).toBe('ConnectionNotAllowed');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(`may be sent only under ${standIn.url('')}`);
    expect(other.requestsTo('/echo')).toHaveLength(0);
  });

  it('matches scheme, host, port and path prefix at a segment boundary', async () => {
    standIn.route('/api/v1/who', (request) => ({ body: { ok: !!request.headers.authorization } }));
    standIn.route('/apix', () => ({ body: {} }));
    const ok = await activityEnv().run(
      activities.http,
      input({ url: standIn.url('/api/v1/who'), connection: 'scoped' }),
    );
    expect(ok.body).toEqual({ ok: true });
    const outside = await failureOf(
      activityEnv().run(
        activities.http,
        input({ url: standIn.url('/apix'), connection: 'scoped' }),
      ),
    );
    expect(outside.type).toBe('ConnectionNotAllowed');
    expect(standIn.requestsTo('/apix')).toHaveLength(0);
    const legacy = await failureOf(
      activityEnv().run(activities.http, input({ url: standIn.url('/api'), connection: 'legacy' })),
    );
    expect(legacy.message).toContain('declares no origins');
  });

  it('redacts credential headers and the secret from outputs and errors', async () => {
    standIn.route('/api/echo-all', (request) => ({
      headers: {
        'set-cookie': 'session=abc123456; HttpOnly',
        'x-echo-auth': String(request.headers.authorization),
        authorization: String(request.headers.authorization),
      },
      body: { seen: request.headers.authorization, nested: [`token=${'scoped-token-9d2e'}`] },
    }));
    const output = await activityEnv().run(
      activities.http,
      input({ url: standIn.url('/api/echo-all'), connection: 'scoped' }),
    );
    expect(output.headers['set-cookie']).toBe('[redacted]');
    expect(output.headers['authorization']).toBe('[redacted]');
    expect(JSON.stringify(output)).not.toContain('scoped-token-9d2e');

    standIn.route('/api/echo-fail', (request) => ({
      status: 400,
      body: `${'x'.repeat(90)} you sent ${String(request.headers.authorization)} ${'y'.repeat(500)}`,
    }));
    const failure = await failureOf(
      activityEnv().run(
        activities.http,
        input({ url: standIn.url('/api/echo-fail'), connection: 'scoped' }),
      ),
    );
    const visible = JSON.stringify({ message: failure.message, details: failure.details });
    expect(visible).not.toContain('scoped-token');
    expect(failure.message.length).toBeLessThan(300);
  });

  it('redacts the configured extra headers', async () => {
    const configured = createActivities({
      config: testConfig({
        BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1',
        BATCHGRAPH_HTTP_REDACT_HEADERS: 'X-Session-Token',
      }),
      db: mongo.db,
    });
    standIn.route('/session', () => ({ headers: { 'x-session-token': 'abc' }, body: {} }));
    const output = await activityEnv().run(
      configured.http,
      input({ url: standIn.url('/session') }),
    );
    expect(output.headers['x-session-token']).toBe('[redacted]');
  });
});

describe('outbound host checks', () => {
  it('refuses hosts missing from the allow-list, and everything when it is empty', async () => {
    const listed = createActivities({
      config: testConfig({ BATCHGRAPH_HTTP_ALLOWED_HOSTS: 'api.example.com' }),
    });
    const failure = await failureOf(
      activityEnv().run(listed.http, input({ url: standIn.url('/never') })),
    );
    expect(failure.type).toBe('HostNotAllowed');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(
      "127.0.0.1 is not in the worker's BATCHGRAPH_HTTP_ALLOWED_HOSTS (it holds api.example.com)",
    );

    const none = createActivities({ config: testConfig() });
    const empty = await failureOf(
      activityEnv().run(none.http, input({ url: standIn.url('/never') })),
    );
    expect(empty.message).toContain('it is empty, so no outbound HTTP is allowed');
    expect(standIn.requestsTo('/never')).toHaveLength(0);
  });

  it('refuses cloud metadata and link-local addresses even when every host is allowed', async () => {
    const resolve = async (host: string): Promise<string[]> =>
      host === 'sneaky.example' ? ['93.184.216.34', '169.254.169.254'] : ['127.0.0.1'];
    const open = createActivities({
      config: testConfig({ BATCHGRAPH_HTTP_ALLOWED_HOSTS: '*' }),
      resolve,
    });
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://169.254.10.1/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://sneaky.example/',
    ]) {
      const failure = await failureOf(activityEnv().run(open.http, input({ url })));
      expect(failure.type, url).toBe('HostNotAllowed');
      expect(failure.nonRetryable).toBe(true);
    }
  });

  it('connects to the addresses it checked, and re-checks them when the connection opens', async () => {
    const port = new URL(standIn.origin).port;
    const named = createActivities({
      config: testConfig({ BATCHGRAPH_HTTP_ALLOWED_HOSTS: 'stand-in.test' }),
      resolve: async () => ['127.0.0.1'],
    });
    const output = await activityEnv().run(
      named.http,
      input({ url: `http://stand-in.test:${port}/named` }),
    );
    expect(output.body).toEqual({ ok: true, method: 'GET', path: '/named' });

    let lookups = 0;
    const rebinding = createActivities({
      config: testConfig({ BATCHGRAPH_HTTP_ALLOWED_HOSTS: '*' }),
      resolve: async () => (lookups++ === 0 ? ['127.0.0.1'] : ['169.254.169.254']),
    });
    const failure = await failureOf(
      activityEnv().run(rebinding.http, input({ url: `http://rebind.test:${port}/never` })),
    );
    expect(lookups).toBe(2);
    expect(failure.type).toBe('HostNotAllowed');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('rebind.test resolves to 169.254.169.254');
    expect(standIn.requestsTo('/never')).toHaveLength(0);
  });

  it('checks redirect targets against the allow-list', async () => {
    standIn.route('/to-metadata', () => ({
      status: 307,
      headers: { location: 'http://169.254.169.254/latest' },
    }));
    const failure = await failureOf(
      activityEnv().run(activities.http, input({ url: standIn.url('/to-metadata') })),
    );
    expect(failure.type).toBe('HostNotAllowed');
  });

  it('refuses malformed params for good', async () => {
    const failure = await failureOf(
      activityEnv().run(activities.http, input({ url: standIn.url('/never'), body: { a: 1 } })),
    );
    expect(failure.type).toBe('BadParams');
    expect(failure.nonRetryable).toBe(true);
  });

  it('keeps connections alive, even to a server that announces a 1 s keep-alive', async () => {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('{}'));
    });
    server.keepAliveTimeout = 1000;
    let connections = 0;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      for (let i = 0; i < 20; i++) {
        const output = await activityEnv().run(activities.http, input({ url }));
        expect(output.status).toBe(200);
      }
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
