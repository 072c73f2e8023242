import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MONGODB_URI, startHarness, TEMPORAL_ADDRESS, type Harness } from './harness';
import { eventually } from './cli';
import { TcpProxy } from './proxy';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('http');
});
afterAll(async () => h?.stop());

describe('bad input', () => {
  test('malformed JSON is a 400, not a 500', async () => {
    const response = await h.api('POST', '/api/jobs', { raw: '{"formatVersion": 1, ' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.message).toContain('not valid JSON');
  });

  test('a body over the limit is a 413', async () => {
    const response = await h.api('POST', '/api/validate', {
      raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  test('unknown routes are a JSON 404', async () => {
    const response = await h.api('GET', '/api/nothing/here');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  test('a non-JSON body where JSON is expected is a 400', async () => {
    const response = await h.api('POST', '/api/jobs', {
      raw: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(400);
  });
});

describe('public endpoints', () => {
  test('health names both servers and their versions', async () => {
    const response = await h.api('GET', '/api/health', { key: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      temporal: {
        ok: true,
        address: TEMPORAL_ADDRESS,
        namespace: 'default',
        version: expect.any(String),
      },
      mongodb: { ok: true, version: expect.any(String) },
    });
  });

  test('OpenAPI 3.1 comes from the zod schemas; the docs page and its assets are local', async () => {
    const spec = await h.api('GET', '/api/openapi.json', { key: null });
    expect(spec.body.openapi).toBe('3.1.0');
    const job = spec.body.components.schemas.Job;
    expect(job.properties.tasks.items.oneOf ?? job.properties.tasks.items.anyOf).toHaveLength(6);
    expect(job.additionalProperties).toBe(false);
    expect(
      spec.body.paths['/api/jobs/{id}'].put.requestBody.content['application/json'].schema.$ref,
    ).toBe('#/components/schemas/UpdateJob');
    expect(JSON.stringify(spec.body)).not.toContain('#/$defs');
    const docs = await h.api('GET', '/api/docs', { key: null });
    expect(docs.body).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(docs.body).not.toMatch(/https?:\/\/(?!127)/);
    const bundle = await fetch(`${h.url}/api/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

  test('metrics count requests by route pattern', async () => {
    await h.api('GET', '/api/jobs');
    // Metrics list job ids: no key, or a viewer's, gets none.
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    const viewer = await h.keyFor('viewer');
    const refused = await fetch(`${h.url}/metrics`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(refused.status).toBe(403);
    const operator = await h.keyFor('operator');
    const response = await fetch(`${h.url}/metrics`, {
      headers: { authorization: `Bearer ${operator}` },
    });
    const text = await response.text();
    expect(text).toMatch(
      /batchgraph_api_http_request_duration_seconds_count\{method="GET",route="\/api\/jobs",status="200"\}/,
    );
    expect(text).toContain('batchgraph_runs_started_total');
  });

  test('a wrong type is named as such, a missing field as missing', async () => {
    const response = await h.api('POST', '/api/keys', { body: { name: 7 } });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '$.name', message: 'expected string, got number' }),
        expect.objectContaining({ path: '$.role', code: 'required', message: 'is required' }),
      ]),
    );
  });

  test('the query key works only on GET of a run’s events', async () => {
    const key = h.adminKey;
    const events = await fetch(`${h.url}/api/runs/job-none-1/events?access_token=${key}`);
    expect(events.status).not.toBe(401);
    await events.body?.cancel();
    for (const [method, path] of [
      ['POST', '/api/runs/job-none-1/cancel?access_token='],
      ['GET', '/api/runs/job-none-1?access_token='],
      ['GET', '/api/runs/job-none-1/events/extra?access_token='],
    ] as const) {
      const response = await fetch(`${h.url}${path}${key}`, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  test('X-Forwarded-For from an untrusted client never reaches the audit log', async () => {
    await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Forwarded',
        tasks: [{ id: 'a', type: 'delay', params: { seconds: 0 } }],
        edges: [],
      },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    const audit = await h.api('GET', '/api/audit?action=job.created');
    const entry = audit.body.items.find((item: { details: unknown; ip: string }) => item.ip);
    expect(JSON.stringify(audit.body)).not.toContain('203.0.113.9');
    expect(entry.ip).toBe('127.0.0.1');
  });

  test('security headers; CORS only for the editor origin', async () => {
    const allowed = await fetch(`${h.url}/api/health`, {
      headers: { origin: h.config.BATCHGRAPH_EDITOR_ORIGIN },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(
      h.config.BATCHGRAPH_EDITOR_ORIGIN,
    );
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    const other = await fetch(`${h.url}/api/health`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).not.toBe('http://evil.example');
  });
});

describe('rate limit', () => {
  test('unknown keys are throttled per client: the 21st in a minute is a 429', async () => {
    const throttled = await startHarness('throttle');
    try {
      for (let i = 0; i < 20; i++) {
        expect((await throttled.api('GET', '/api/me', { key: `bg_wrong_${i}` })).status).toBe(401);
      }
      const refused = await throttled.api('GET', '/api/me', { key: 'bg_wrong_again' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      // The same client's right key waits too: guessing is what is slowed.
      expect((await throttled.api('GET', '/api/me')).status).toBe(429);
    } finally {
      await throttled.stop();
    }
  });

  test('too many requests are a 429', async () => {
    const limited = await startHarness('ratelimit', {
      env: { BATCHGRAPH_RATE_LIMIT_PER_MINUTE: '5' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await limited.api('GET', '/api/me')).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const last = await limited.api('GET', '/api/me');
      expect(last.body.error.code).toBe('rate_limited');
    } finally {
      await limited.stop();
    }
  });
});

describe('outages', () => {
  test('MongoDB or Temporal down answers 503 naming it, and recovers without a restart', async () => {
    const mongo = TcpProxy.forAddress(MONGODB_URI.replace('mongodb://', ''));
    const temporal = TcpProxy.forAddress(TEMPORAL_ADDRESS);
    await mongo.start();
    await temporal.start();
    const proxied = await startHarness('outage', {
      mongoUri: `mongodb://127.0.0.1:${mongo.port}/?directConnection=true`,
      temporalAddress: `127.0.0.1:${temporal.port}`,
      env: { MONGODB_DB: h.dbName },
    });
    try {
      // Through the proxies, the shared database (its admin key) is reachable.
      expect((await proxied.api('GET', '/api/me', { key: h.adminKey })).status).toBe(200);
      const created = await proxied.api('POST', '/api/jobs', {
        key: h.adminKey,
        body: {
          formatVersion: 1,
          name: 'Outage job',
          tasks: [{ id: 'w', type: 'delay', params: { seconds: 1 } }],
        },
      });
      expect(created.status).toBe(201);
      const jobId = created.body.id as string;

      await temporal.stop();
      const noTemporal = await proxied.api('POST', `/api/jobs/${jobId}/runs`, {
        key: h.adminKey,
        body: {},
      });
      expect(noTemporal.status).toBe(503);
      expect(noTemporal.body.error).toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('Temporal'),
      });
      const health = await proxied.api('GET', '/api/health', { key: null });
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'degraded',
        temporal: { ok: false },
        mongodb: { ok: true },
      });
      // The job list still answers from MongoDB.
      expect((await proxied.api('GET', '/api/jobs', { key: h.adminKey })).status).toBe(200);

      await mongo.stop();
      proxied.services.keys.clear();
      const noMongo = await proxied.api('GET', '/api/jobs', { key: h.adminKey });
      expect(noMongo.status).toBe(503);
      expect(noMongo.body.error.message).toContain('MongoDB');

      await temporal.start();
      await mongo.start();
      // Both clients reconnect by themselves; give them a moment.
      await eventually(
        () => proxied.api('GET', '/api/health', { key: null }),
        (r) => r.body.status === 'ok',
        'the API to see both servers again',
      );
      const run = await proxied.api('POST', `/api/jobs/${jobId}/runs`, {
        key: h.adminKey,
        body: {},
      });
      expect(run.status).toBe(202);
      await h.services.temporal.client.workflow.getHandle(run.body.runId).terminate('test over');
    } finally {
      await proxied.stop();
      await temporal.stop();
      await mongo.stop();
    }
  });
});
