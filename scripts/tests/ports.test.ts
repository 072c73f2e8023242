import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StackError } from '../stack/errors';
import { assertPortsFree, PortInUseError, readPort } from '../stack/ports';

const servers: Server[] = [];

function listen(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    servers.push(server);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

describe('assertPortsFree', () => {
  it('names the part and the variable when a port is taken', async () => {
    const port = await listen();
    const claim = { port, label: 'Temporal gRPC', variable: 'TEMPORAL_PORT' };
    const check = assertPortsFree([claim]);
    await expect(check).rejects.toBeInstanceOf(PortInUseError);
    await expect(check).rejects.toThrow(
      `port ${port} (Temporal gRPC) is already in use — set TEMPORAL_PORT or stop the other process`,
    );
  });

  it('accepts a port nothing listens on', async () => {
    const port = await listen();
    await new Promise((done) => servers.pop()?.close(done));
    await expect(assertPortsFree([{ port, label: 'API', variable: 'X' }])).resolves.toBeUndefined();
  });

  it('rejects one port configured for two parts', async () => {
    const claims = [
      { port: 3001, label: 'API process 2', variable: 'BATCHGRAPH_API_PORT' },
      { port: 3001, label: 'editor', variable: 'BATCHGRAPH_EDITOR_PORT' },
    ];
    await expect(assertPortsFree(claims)).rejects.toThrow(
      'port 3001 is configured for both API process 2 (BATCHGRAPH_API_PORT) and editor (BATCHGRAPH_EDITOR_PORT)',
    );
  });
});

describe('readPort', () => {
  it('uses the default when unset or empty', () => {
    expect(readPort({}, 'TEMPORAL_PORT', 7233)).toBe(7233);
    expect(readPort({ TEMPORAL_PORT: '' }, 'TEMPORAL_PORT', 7233)).toBe(7233);
  });

  it('reads a valid port and rejects anything else', () => {
    expect(readPort({ TEMPORAL_PORT: '27233' }, 'TEMPORAL_PORT', 7233)).toBe(27233);
    for (const bad of ['abc', '0', '70000', '12.5']) {
      expect(() => readPort({ TEMPORAL_PORT: bad }, 'TEMPORAL_PORT', 1)).toThrow(StackError);
    }
  });
});
