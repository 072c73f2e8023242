/** A throwaway Temporal dev server for a benchmark: in memory, on free loopback ports. */
import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import getPort from 'get-port';
import { toolPaths } from '../scripts/stack/paths';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../scripts/stack/servers';

export interface DevServer {
  address: string;
  stop(): void;
}

/** The flags the quick-start stack and the test servers add (scripts/stack/servers.ts). */
export const batchgraphFlags = Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => [
  '--dynamic-config-value',
  `${key}=${value}`,
]);

export async function startDevServer(flags: string[]): Promise<DevServer> {
  const ports = [await getPort(), await getPort(), await getPort()];
  const child = spawn(
    toolPaths(process.env).temporal,
    ['server', 'start-dev', '--ip', '127.0.0.1', '--headless', '--log-level', 'error']
      .concat(['--port', String(ports[0]), '--http-port', String(ports[1])])
      .concat(['--metrics-port', String(ports[2]), ...flags]),
    { stdio: 'ignore' },
  );
  const address = `127.0.0.1:${ports[0]}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return { address, stop: () => child.kill('SIGTERM') };
    } catch (error) {
      if (attempt > 60 || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
