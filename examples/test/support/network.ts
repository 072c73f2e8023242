/** Free loopback ports and reachability of the servers the end-to-end tests need. */
import getPort from 'get-port';
import { connect } from 'node:net';

export const freePort = () => getPort({ host: '127.0.0.1' });

/** Resolves when host:port accepts a TCP connection; rejects with a sentence naming `what`. */
export function assertReachable(what: string, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 3000 });
    const fail = (reason: string): void => {
      socket.destroy();
      reject(new Error(`${what} is not reachable at ${host}:${port} (${reason}); start it first`));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail('timed out'));
    socket.once('error', (error) => fail(error.message));
  });
}

/** host and port of `host:port`, `mongodb://host:port/...` or similar (first host of a list). */
export function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const withoutScheme = address.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]*@/, '');
  const first = withoutScheme.split(/[/,?]/)[0] ?? '';
  const [host = '127.0.0.1', port] = first.split(':');
  return { host: host || '127.0.0.1', port: port ? Number(port) : defaultPort };
}
