/**
 * Everything `scripts/test` runs after installing: formatting, lint and typecheck, then every
 * workspace's Vitest suite and browser tests against dedicated Temporal and MongoDB servers on
 * their own ports (never a developer's running stack), and a final `N passed, N failed` line.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clearReports,
  collectResults,
  E2E_REPORT,
  printSummary,
  UNIT_REPORT,
  type ReportKind,
} from '../test-summary';
import { reportFailure } from './errors';
import { ROOT } from './paths';
import { describeExit, Supervisor } from './processes';
import { startTestServers } from './test-servers';

const env = process.env;
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);

interface StepResult {
  name: string;
  ok: boolean;
}

const steps: StepResult[] = [];
let interrupted = false;
let current: ReturnType<typeof spawn> | undefined;

/**
 * Stops the running step and skips the rest; the test servers still stop in `main`. Turbo only
 * winds its tasks down on SIGTERM (on SIGINT it expects the terminal to have signalled them).
 */
function interrupt(): void {
  interrupted = true;
  current?.kill('SIGTERM');
}
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

/** Runs one command in the foreground with the terminal's output; records whether it passed. */
function runStep(name: string, command: string, args: string[], stepEnv = env): Promise<boolean> {
  if (interrupted) return Promise.resolve(false);
  console.log(`\n[batchgraph] ${name}: ${[command.replace(`${ROOT}/`, ''), ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env: stepEnv, stdio: 'inherit' });
    current = child;
    child.once('error', (error) => {
      console.error(`[batchgraph] error: ${name} could not start: ${error.message}`);
    });
    child.once('close', (code, signal) => {
      current = undefined;
      const ok = code === 0 && !interrupted;
      if (!ok) console.error(`[batchgraph] ${name} failed (${describeExit({ code, signal })})`);
      steps.push({ name, ok });
      resolve(ok);
    });
  });
}

function vitestArgs(kind: ReportKind): string[] {
  return ['--', '--reporter=default', '--reporter=json', `--outputFile.json=${kind.file}`];
}

const supervisor = new Supervisor((managed, info) => {
  console.error(
    `[batchgraph] error: ${managed.name} ${describeExit(info)} during the tests — see ${managed.logFile}`,
  );
});

async function startTestServersStep(scratch: string): Promise<NodeJS.ProcessEnv | undefined> {
  try {
    const testEnv = await startTestServers(supervisor, scratch, env);
    steps.push({ name: 'test servers', ok: true });
    return testEnv;
  } catch (error) {
    reportFailure(error);
    steps.push({ name: 'test servers', ok: false });
    return undefined;
  }
}

async function main(): Promise<number> {
  mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
  await runStep('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
  await runStep('lint and typecheck', bin('turbo'), [
    'run',
    'lint',
    'typecheck',
    'lint:scripts',
    'typecheck:scripts',
    '--continue',
    '--output-logs=errors-only',
  ]);

  const scratch = mkdtempSync(join(tmpdir(), 'batchgraph-test-'));
  clearReports([UNIT_REPORT, E2E_REPORT]);
  try {
    const testEnv = interrupted ? undefined : await startTestServersStep(scratch);
    if (testEnv) {
      const unit = ['run', 'test', 'test:scripts', '--concurrency=1', '--continue'];
      unit.push(...vitestArgs(UNIT_REPORT));
      await runStep('tests', bin('turbo'), unit, testEnv);
      const e2e = ['run', 'test:e2e', '--concurrency=1', '--continue', ...vitestArgs(E2E_REPORT)];
      await runStep('browser tests', bin('turbo'), e2e, testEnv);
    }
  } finally {
    await supervisor.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }

  console.log('\nSteps:');
  for (const step of steps) console.log(`  ${step.name.padEnd(24)}${step.ok ? 'ok' : 'FAILED'}`);
  if (interrupted) console.log('Interrupted.');
  const testsPassed = printSummary(collectResults([UNIT_REPORT, E2E_REPORT]));
  return testsPassed && !interrupted && steps.every((step) => step.ok) ? 0 : 1;
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
