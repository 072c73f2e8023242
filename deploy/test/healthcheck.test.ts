import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployPath } from './files';

const run = promisify(execFile);
const SCRIPT = deployPath('docker', 'healthcheck.mjs');

/** Runs the probe as the image does and returns its exit code. */
async function probe(env: Record<string, string>, ...args: string[]): Promise<number> {
  try {
    await run(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env.PATH, ...env } });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('deploy/docker/healthcheck.mjs', () => {
  let server: Server;
  let port: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/api/health' ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = String((server.address() as AddressInfo).port);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('succeeds when the endpoint on the configured port answers 2xx', async () => {
    expect(await probe({ PROBE_PORT: port }, 'PROBE_PORT', '/api/health')).toBe(0);
  });

  it('fails when the endpoint answers an error status', async () => {
    expect(await probe({ PROBE_PORT: port }, 'PROBE_PORT', '/metrics')).toBe(1);
  });

  it('fails when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unused = String((closed.address() as AddressInfo).port);
    await new Promise((resolve) => closed.close(resolve));
    expect(await probe({ PROBE_PORT: unused }, 'PROBE_PORT', '/api/health')).toBe(1);
  });

  it('fails when the port variable is not set', async () => {
    expect(await probe({}, 'PROBE_PORT', '/api/health')).toBe(1);
  });
});
