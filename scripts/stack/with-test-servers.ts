/**
 * `scripts/with-test-servers <command> [args…]`: starts the test servers, runs one command with
 * their environment (TEMPORAL_ADDRESS, MONGODB_URI, …), stops them and exits with the command's
 * code. For a focused run while working, e.g. one Vitest file of one workspace.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportFailure } from './errors';
import { describeExit, Supervisor } from './processes';
import { startTestServers } from './test-servers';

const [command, ...args] = process.argv.slice(2);

const supervisor = new Supervisor((managed, info) => {
  console.error(
    `[batchgraph] error: ${managed.name} ${describeExit(info)} — see ${managed.logFile}`,
  );
});

function run(testEnv: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command!, args, { cwd: process.cwd(), env: testEnv, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', (error) => {
      console.error(`[batchgraph] error: ${command} could not start: ${error.message}`);
      resolve(127);
    });
    child.once('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  if (!command) {
    console.error('usage: scripts/with-test-servers <command> [args…]');
    return 2;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'batchgraph-test-'));
  try {
    return await run(await startTestServers(supervisor, scratch));
  } finally {
    await supervisor.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    await supervisor.stopAll();
    process.exitCode = reportFailure(error);
  },
);
