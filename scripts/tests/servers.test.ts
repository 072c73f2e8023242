/**
 * Runs against the servers `scripts/test` starts (TEMPORAL_ADDRESS, MONGODB_URI; defaults are the
 * local stack's), so it also proves the test servers came up the way the product needs them.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import { searchAttributeTypes } from '../../engine/src/temporal-names';
import { mongoPing, tcpOpen, temporalReady, waitUntilHealthy } from '../stack/health';
import { toolPaths } from '../stack/paths';
import { Supervisor } from '../stack/processes';
import { chooseMongo, serverPortClaims, startServers, type ServerPlans } from '../stack/servers';

const temporalAddress = process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
const mongoUri = process.env.MONGODB_URI || 'mongodb://127.0.0.1:27017';
const temporalCli = process.env.TEMPORAL_CLI_PATH || toolPaths(process.env).temporal;
const scratch = mkdtempSync(join(tmpdir(), 'batchgraph-servers-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A loopback port that nothing listens on. */
const closedPort = () => getPort({ host: '127.0.0.1' });

describe('health checks against the test servers', () => {
  it(`Temporal at ${temporalAddress} serves the namespace with the search attributes`, async () => {
    const names = Object.keys(searchAttributeTypes);
    await expect(temporalReady(temporalCli, temporalAddress, 'default', names)()).resolves.toBe(
      undefined,
    );
  });

  it('names a search attribute the server lacks', async () => {
    const check = temporalReady(temporalCli, temporalAddress, 'default', ['NoSuchAttribute']);
    await expect(check()).rejects.toThrow('search attributes not registered: NoSuchAttribute');
  });

  it(`MongoDB at ${mongoUri} answers a ping`, async () => {
    await expect(mongoPing(mongoUri)()).resolves.toBeUndefined();
  });

  it('fails a ping where nothing listens', async () => {
    const port = await closedPort();
    await expect(mongoPing(`mongodb://127.0.0.1:${port}`)()).rejects.toThrow();
  });
});

describe('waitUntilHealthy', () => {
  it('gives up with the part, the last problem and the log file', async () => {
    const port = await closedPort();
    const target = { name: 'the API', timeoutMs: 500, logFile: '/logs/api.log' };
    await expect(waitUntilHealthy(target, tcpOpen('127.0.0.1', port))).rejects.toThrow(
      new RegExp(
        `^the API did not come up within 0.5s \\(TCP 127.0.0.1:${port}: .*\\) — see /logs/api.log$`,
      ),
    );
  });

  it('stops waiting as soon as the process exits', async () => {
    const supervisor = new Supervisor(() => {});
    const quitter = supervisor.start({
      name: 'quitter',
      command: process.execPath,
      args: ['-e', 'process.exit(4)'],
      cwd: scratch,
      env: process.env,
      logFile: join(scratch, 'quitter.log'),
    });
    const port = await closedPort();
    const target = { name: 'quitter', timeoutMs: 60_000, process: quitter };
    await expect(waitUntilHealthy(target, tcpOpen('127.0.0.1', port))).rejects.toThrow(
      `quitter exited with code 4 while starting — see ${join(scratch, 'quitter.log')}`,
    );
  });
});

describe('chooseMongo', () => {
  it('prefers MONGODB_URI, then a mongod on PATH, then FerretDB', () => {
    const bin = join(scratch, 'bin');
    rmSync(bin, { recursive: true, force: true });
    expect(chooseMongo({ MONGODB_URI: 'mongodb://db:27017', PATH: '' }, 'P', 1, scratch)).toEqual({
      kind: 'external',
      uri: 'mongodb://db:27017',
    });
    expect(chooseMongo({ PATH: bin }, 'P', 1, scratch).kind).toBe('ferretdb');
    const mongod = join(bin, 'mongod');
    mkdirSync(bin);
    writeFileSync(mongod, '#!/bin/sh\n');
    chmodSync(mongod, 0o755);
    expect(chooseMongo({ PATH: bin }, 'P', 1, scratch)).toMatchObject({
      kind: 'mongod',
      dataDir: join(scratch, 'mongodb'),
    });
  });
});

describe('chooseMongo ports', () => {
  it('takes the port from its variable, or the default', () => {
    const env = { PATH: '' };
    expect(chooseMongo({ ...env, P: '4242' }, 'P', 1, scratch)).toMatchObject({ port: 4242 });
    expect(chooseMongo(env, 'P', 17017, scratch)).toMatchObject({ port: 17017, portVariable: 'P' });
    expect(() => chooseMongo({ ...env, P: 'x' }, 'P', 1, scratch)).toThrow('P must be a port');
  });
});

describe('the servers together', () => {
  /** The test servers, as a developer's own servers would be given. */
  const external: ServerPlans = {
    temporal: {
      kind: 'external',
      address: temporalAddress,
      namespace: 'default',
      uiUrl: undefined,
    },
    mongo: { kind: 'external', uri: mongoUri },
  };

  it('claims the ports of the servers it starts, none of external ones', () => {
    const claims = serverPortClaims({
      temporal: {
        kind: 'dev-server',
        port: 1,
        portVariable: 'T',
        ui: { port: 2, variable: 'U' },
        dbFile: undefined,
      },
      mongo: { kind: 'ferretdb', port: 3, portVariable: 'M', dataDir: scratch },
    });
    expect(claims.map((claim) => [claim.port, claim.variable])).toEqual([
      [1, 'T'],
      [11, 'T'],
      [2, 'U'],
      [3, 'M'],
    ]);
    expect(serverPortClaims(external)).toEqual([]);
  });

  it('waits for external test servers and reports where they are', async () => {
    const running = await startServers(external, {
      supervisor: new Supervisor(() => {}),
      tools: toolPaths(process.env),
      logDir: scratch,
      timeoutMs: 10_000,
    });
    expect(running).toEqual({
      temporal: { address: temporalAddress, namespace: 'default', uiUrl: undefined },
      mongoUri,
    });
  });
});
