/**
 * Encrypted payloads: with BATCHGRAPH_PAYLOAD_KEYS the API and the worker seal every payload, so a
 * run's Temporal history, read with the `temporal` CLI, holds no secret, header value or output
 * in clear — while the API still reads the run, and the codec server decodes for Temporal UI.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, temporalCli } from './cli';
import { startHarness, type ApiResponse, type Harness } from './harness';
import { startWorker, type WorkerProcess } from './worker';

const TOKEN = 'conn-token-5be1d0';
const HEADER_VALUE = 'header-value-77c2';
const OUTPUT = 'output-marker-9a41';
const INPUT = 'input-marker-3f08';

let h: Harness;
let worker: WorkerProcess;
let echo: Server;
let base = '';
const keys = `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  h = await startHarness('codec', { env: { BATCHGRAPH_PAYLOAD_KEYS: keys } });
  echo = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sid=abc' });
    res.end(JSON.stringify({ marker: OUTPUT, sawHeader: req.headers['x-trace'] }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  worker = await startWorker(h.taskQueue, h.dbName, {
    env: {
      BATCHGRAPH_SECRET_KEY: h.config.BATCHGRAPH_SECRET_KEY!,
      BATCHGRAPH_PAYLOAD_KEYS: keys,
    },
  });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await new Promise((resolve) => echo?.close(resolve));
  await h?.stop();
});

async function finished(runId: string): Promise<ApiResponse> {
  return eventually(
    () => h.api('GET', `/api/runs/${runId}`),
    (r) => r.status === 200 && r.body.status !== 'running',
    `run ${runId} to end`,
  );
}

describe('encrypted payloads', () => {
  test('a run’s Temporal history holds no secret, header value or output in clear', async () => {
    await h.api('POST', '/api/connections', {
      body: { name: 'sealed', kind: 'bearer', origins: [base], secret: { token: TOKEN } },
    });
    const job = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Sealed run',
        inputs: [{ name: 'note', type: 'string' }],
        tasks: [
          {
            id: 'call',
            type: 'http',
            params: {
              url: `${base}/x`,
              connection: 'sealed',
              headers: { 'X-Trace': HEADER_VALUE },
            },
          },
        ],
        edges: [],
      },
    });
    const started = await h.api('POST', `/api/jobs/${job.body.id}/runs`, {
      body: { input: { note: INPUT } },
    });
    const runId = started.body.runId as string;
    const run = await finished(runId);
    expect(run.body.status).toBe('succeeded');
    // The API reads through the data converter: outputs in clear for its callers.
    expect(JSON.stringify(run.body)).toContain(OUTPUT);

    const history = await temporalCli('workflow', 'show', '--workflow-id', runId, '-o', 'json');
    // Metadata values are base64 in the CLI's JSON.
    expect(history).toContain(Buffer.from('binary/encrypted').toString('base64'));
    // Payloads the CLI cannot read as JSON it prints in base64: decode every such string too.
    const decodedStrings = [...history.matchAll(/"([A-Za-z0-9+/]{16,}={0,2})"/g)]
      .map((match) => Buffer.from(match[1]!, 'base64').toString('latin1'))
      .join('\n');
    for (const secret of [TOKEN, HEADER_VALUE, OUTPUT, INPUT]) {
      expect(history).not.toContain(secret);
      expect(decodedStrings).not.toContain(secret);
    }
    const retried = await h.services.runs.input(runId);
    expect(retried.input).toEqual({ note: INPUT });
  });

  test('the codec server decodes for Temporal UI: operators only, CORS for its origin', async () => {
    const [sealed] = await h.services.temporal.codecs[0]!.encode([
      { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') },
    ]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sealed!.metadata!).map(([k, v]) => [
              k,
              Buffer.from(v).toString('base64'),
            ]),
          ),
          data: Buffer.from(sealed!.data!).toString('base64'),
        },
      ],
    };
    const origin = new URL(h.config.TEMPORAL_UI_URL).origin;
    const call = (key: string | null) =>
      fetch(`${h.url}/codec/decode`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin,
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify(body),
      });
    expect((await call(null)).status).toBe(401);
    expect((await call(await h.keyFor('viewer'))).status).toBe(403);
    const decoded = await call(await h.keyFor('operator'));
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(origin);
    const json = (await decoded.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(json.payloads[0]!.data, 'base64').toString()).toBe('"hello"');
    const preflight = await fetch(`${h.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).not.toBe('http://evil.example');
    // Its key check is the codec server's alone: health stays open (the stack's readiness probe).
    expect((await fetch(`${h.url}/api/health`)).status).toBe(200);
  });
});
