import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { searchAttributeTypes } from '@batchgraph/engine';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployPath, readText, REPO_ROOT } from './files';

const run = promisify(execFile);
const SCRIPT = deployPath('temporal', 'setup-namespace.sh');
/** The test runner (scripts/test) passes the provisioned CLI's path; on its own, the default. */
const TEMPORAL_CLI =
  process.env.TEMPORAL_CLI_PATH || join(REPO_ROOT, '.tools', 'venv', 'bin', 'temporal');

describe('deploy/temporal/setup-namespace.sh', () => {
  it("registers exactly the engine's search attributes, with their types", () => {
    const registered = [...readText(SCRIPT).matchAll(/^register (\w+) (\w+)$/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(Object.fromEntries(registered)).toEqual(searchAttributeTypes);
  });
});

describe('deploy/temporal/setup-namespace.sh against a Temporal server', () => {
  const namespace = 'deploy-setup-test';
  let server: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!existsSync(TEMPORAL_CLI)) {
      throw new Error(`${TEMPORAL_CLI} is missing: run \`bash scripts/provision\` first`);
    }
    const [port, httpPort, metricsPort] = [await getPort(), await getPort(), await getPort()];
    server = spawn(
      TEMPORAL_CLI,
      ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port)].concat(
        ['--http-port', String(httpPort), '--metrics-port', String(metricsPort)],
        ['--log-level', 'error'],
      ),
      { stdio: 'ignore' },
    );
    env = {
      PATH: `${dirname(TEMPORAL_CLI)}:${process.env.PATH ?? ''}`,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_NAMESPACE: namespace,
    };
  });

  afterAll(() => {
    server?.kill('SIGTERM');
  });

  async function setup(): Promise<string> {
    const { stdout } = await run('sh', [SCRIPT], { env });
    return stdout;
  }

  it('creates the namespace with the search attributes, and can run again', async () => {
    await setup();
    const again = await setup();
    expect(again).toContain('search attribute BatchgraphJobId exists');

    const { stdout } = await run(
      TEMPORAL_CLI,
      ['operator', 'search-attribute', 'list', '--namespace', namespace, '--output', 'json'],
      { env },
    );
    const listed = JSON.parse(stdout) as { customAttributes: Record<string, string> };
    const expected = Object.fromEntries(
      Object.entries(searchAttributeTypes).map(([name, type]) => [
        name,
        `INDEXED_VALUE_TYPE_${type.toUpperCase()}`,
      ]),
    );
    expect(listed.customAttributes).toMatchObject(expected);
  }, 180_000);
});
