/**
 * The `batchgraph` command. The shared semantics cases run through the real command (a spawned
 * Node process on engine/bin/batchgraph.js); the rest runs the same CLI in process.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli';
import type { CliIo } from '../src/cli/io';
import { edge, job, task } from './helpers';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'engine', 'bin', 'batchgraph.js');
const semanticsDir = path.resolve(repoRoot, '..', 'shared', 'semantics');
/** A spawned command starts Node and tsx; on a busy machine that takes seconds. */
const SPAWN_TIMEOUT_MS = 60_000;

if (!existsSync(semanticsDir)) {
  throw new Error(
    `The shared semantics cases are missing: expected them in ${semanticsDir} (shared/ beside the repository).`,
  );
}
const caseFiles = readdirSync(semanticsDir).filter((file) => file.endsWith('.json'));
if (caseFiles.length === 0) throw new Error(`No semantics cases (*.json) in ${semanticsDir}.`);

interface SemanticsCase {
  job: unknown;
  fail: Record<string, number>;
  expect: { outcome: string; tasks: Record<string, string> };
}

interface Spawned {
  code: number;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[]): Promise<Spawned> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function inProcess(args: string[]): Promise<Spawned> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readFile: (file) => import('node:fs/promises').then(({ readFile }) => readFile(file, 'utf8')),
  };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

let dir = '';
const fileWith = async (name: string, content: unknown) => {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'batchgraph-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shared semantics cases through the batchgraph command', () => {
  it.each(caseFiles)('%s', { timeout: SPAWN_TIMEOUT_MS }, async (file) => {
    const sample = JSON.parse(readFileSync(path.join(semanticsDir, file), 'utf8')) as SemanticsCase;
    const jobFile = await fileWith(file, sample.job);
    const failArgs = Object.entries(sample.fail).flatMap(([id, count]) => [
      '--fail',
      count >= 99 ? id : `${id}=${count}`,
    ]);
    const { code, stdout, stderr } = await spawnCli(['simulate', jobFile, ...failArgs]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      outcome: string;
      tasks: Record<string, { state: string }>;
    };
    expect(result.outcome).toBe(sample.expect.outcome);
    const states = Object.fromEntries(Object.entries(result.tasks).map(([id, t]) => [id, t.state]));
    expect(states).toEqual(sample.expect.tasks);
  });

  it('validate prints ok through the command', { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const file = await fileWith('valid.json', job([task('a')]));
    expect(await spawnCli(['validate', file])).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  });

  it('--help exits 0 through the command', { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const { code, stdout } = await spawnCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: batchgraph <command>');
  });
});

describe('batchgraph validate', () => {
  it('prints ok and exits 0 for a valid job, warnings on stderr', async () => {
    const file = await fileWith(
      'warn.json',
      job([task('a'), task('b')], [edge('a', 'b', 'success'), edge('a', 'b', 'failure')]),
    );
    const { code, stdout, stderr } = await inProcess(['validate', file]);
    expect([code, stdout]).toEqual([0, 'ok']);
    expect(stderr).toMatch(/^warning never_runs at \$\.tasks\[1\]: Task 'b' can never run/);
  });

  it('prints the errors as a JSON array and exits 1 for an invalid job', async () => {
    const file = await fileWith('bad.json', job([task('a', { retries: -1 })], [edge('a', 'zz')]));
    const { code, stdout } = await inProcess(['validate', file]);
    expect(code).toBe(1);
    const errors = JSON.parse(stdout) as object[];
    expect(errors).toEqual([
      {
        path: '$.tasks[0].retries',
        code: 'too_small',
        message: "Task 'a': retries must be at least 0.",
      },
      expect.objectContaining({ path: '$.edges[0].to', code: 'unknown_task' }),
    ]);
  });

  it('reports bad JSON and unreadable files as one invalid_json problem, exit 1', async () => {
    const file = await fileWith('broken.json', '{"formatVersion": 1,');
    for (const target of [file, path.join(dir, 'missing.json')]) {
      const { code, stdout } = await inProcess(['validate', target]);
      expect(code).toBe(1);
      expect(JSON.parse(stdout)).toEqual([
        { path: '$', code: 'invalid_json', message: expect.stringContaining(target) },
      ]);
    }
  });

  it('needs exactly one file', async () => {
    expect((await inProcess(['validate'])).code).toBe(2);
    expect((await inProcess(['validate', 'a.json', 'b.json'])).code).toBe(2);
  });
});

describe('batchgraph simulate', () => {
  const graph = job(
    [task('a', { retries: 2 }), task('b'), task('handler')],
    [edge('a', 'b'), edge('a', 'handler', 'failure')],
  );

  it('prints outcome, tasks and order, exit 0 for a succeeded run', async () => {
    const file = await fileWith('sim.json', graph);
    const { code, stdout } = await inProcess(['simulate', file]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      outcome: 'succeeded',
      tasks: {
        a: { state: 'succeeded', attempts: 1 },
        b: { state: 'succeeded', attempts: 1 },
        handler: { state: 'skipped', attempts: 0 },
      },
      order: ['a', 'b'],
    });
  });

  it('--fail TASK fails every attempt; --fail TASK=N the first N', async () => {
    const file = await fileWith('sim.json', graph);
    const always = JSON.parse((await inProcess(['simulate', file, '--fail', 'a'])).stdout);
    expect(always.tasks).toMatchObject({
      a: { state: 'failed', attempts: 3 },
      handler: { state: 'succeeded' },
    });
    const twice = JSON.parse((await inProcess(['simulate', file, '--fail=a=2'])).stdout);
    expect(twice.tasks.a).toEqual({ state: 'succeeded', attempts: 3 });
  });

  it('exits 0 for a failed run', async () => {
    const file = await fileWith('fails.json', job([task('a')]));
    const { code, stdout } = await inProcess(['simulate', file, '--fail', 'a']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).outcome).toBe('failed');
  });

  it('exits 2 with the validation errors for an invalid job', async () => {
    const file = await fileWith(
      'cycle.json',
      job([task('a'), task('b')], [edge('a', 'b'), edge('b', 'a')]),
    );
    const { code, stdout } = await inProcess(['simulate', file]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ code: 'cycle', path: '$.edges[1]' }),
    ]);
  });

  it('treats --fail of an unknown task or a bad count as a usage error', async () => {
    const file = await fileWith('sim.json', graph);
    for (const fail of ['ghost', 'a=x', 'a=-1']) {
      const { code, stdout, stderr } = await inProcess(['simulate', file, '--fail', fail]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`--fail ${fail}`);
    }
  });
});

describe('batchgraph usage', () => {
  it('lists the commands for --help and for help', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const { code, stdout } = await inProcess(args);
      expect(code).toBe(0);
      expect(stdout).toMatch(/validate <job\.json>[\s\S]*simulate <job\.json>/);
    }
  });

  it('explains one command for <command> --help', async () => {
    const { code, stdout } = await inProcess(['simulate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--fail TASK=N');
  });

  it('exits 2 with usage for an unknown command, no command or an unknown option', async () => {
    const unknown = await inProcess(['explode']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'explode'[\s\S]*Usage: batchgraph/);
    expect((await inProcess([])).code).toBe(2);
    const option = await inProcess(['validate', 'x.json', '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("'--colour'");
  });
});
