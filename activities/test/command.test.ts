import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collections } from '@batchgraph/engine';
import type { CommandParams, TaskLogDoc } from '@batchgraph/engine';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TAIL_BYTES } from '../src/bounded';
import { createActivities } from '../src/index';
import type { Activities, TaskInput } from '../src/index';
import { activityEnv, failureOf, identity, testConfig } from './support/activity';
import type { TestDb } from './support/mongo';
import { openTestDb } from './support/mongo';

const node = process.execPath;
let mongo: TestDb;
let activities: Activities;
let scratch: string;

function script(
  code: string,
  more: Partial<CommandParams> = {},
  taskId = 'cmd',
): TaskInput<CommandParams> {
  return {
    runId: 'run-c',
    taskId,
    startedBy: identity,
    params: { command: node, args: ['-e', code], ...more },
  };
}

async function logsOf(taskId: string): Promise<TaskLogDoc[]> {
  return mongo.db
    .collection<TaskLogDoc>(collections.taskLogs)
    .find({ runId: 'run-c', taskId })
    .sort({ at: 1, _id: 1 })
    .toArray();
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  mongo = await openTestDb('command');
  scratch = await mkdtemp(join(tmpdir(), 'bg-command-'));
  activities = createActivities({
    config: testConfig({ BATCHGRAPH_COMMANDS_ALLOWED: `${node},/bin/true` }),
    db: mongo.db,
  });
});

afterAll(async () => {
  await mongo.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('command activity', () => {
  it('is disabled, saying how to enable it, while no command is allowed', async () => {
    const disabled = createActivities({ config: testConfig() });
    const failure = await failureOf(activityEnv().run(disabled.command, script('0')));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('NotConfigured');
    expect(failure.message).toContain('BATCHGRAPH_COMMANDS_ALLOWED');
  });

  it('refuses executables missing from the allow-list', async () => {
    const failure = await failureOf(
      activityEnv().run(activities.command, {
        ...script(''),
        params: { command: '/bin/sh', args: ['-c', 'id'] },
      }),
    );
    expect(failure.type).toBe('CommandNotAllowed');
    expect(failure.nonRetryable).toBe(true);
  });

  it('captures stdout and stderr, and writes every line to the task log', async () => {
    const output = await activityEnv().run(
      activities.command,
      script(
        "for (let i = 0; i < 450; i++) console.log('line ' + i); console.error('warn: almost done');",
        {},
        'lines',
      ),
    );
    expect(output.exitCode).toBe(0);
    expect(output.stdout.split('\n')[449]).toBe('line 449');
    expect(output.stderr).toBe('warn: almost done\n');
    const logs = await logsOf('lines');
    expect(logs.filter((log) => log.stream === 'stdout').map((log) => log.text)).toEqual(
      Array.from({ length: 450 }, (_, i) => `line ${i}`),
    );
    expect(logs.filter((log) => log.stream === 'stderr').map((log) => log.text)).toEqual([
      'warn: almost done',
    ]);
    expect(logs.every((log) => log.attempt === 1)).toBe(true);
  });

  it('runs with cwd and its own env over a minimal environment, not the worker’s', async () => {
    process.env.WORKER_ONLY_SECRET = 'do-not-leak';
    try {
      const output = await activityEnv().run(
        activities.command,
        script('console.log(JSON.stringify({ cwd: process.cwd(), env: process.env }))', {
          cwd: scratch,
          env: { GREETING: 'hi' },
        }),
      );
      const seen = JSON.parse(output.stdout) as { cwd: string; env: Record<string, string> };
      expect(seen.cwd).toBe(scratch);
      expect(seen.env.GREETING).toBe('hi');
      expect(seen.env.WORKER_ONLY_SECRET).toBeUndefined();
      expect(Object.keys(seen.env).sort()).toEqual(['GREETING', 'HOME', 'LANG', 'PATH']);
    } finally {
      delete process.env.WORKER_ONLY_SECRET;
    }
  });

  it('refuses a working directory that does not exist', async () => {
    const failure = await failureOf(
      activityEnv().run(activities.command, script('0', { cwd: join(scratch, 'missing') })),
    );
    expect(failure.type).toBe('BadParams');
    expect(failure.nonRetryable).toBe(true);
  });

  it('fails retryably on a non-zero exit, with the code and the end of stderr', async () => {
    const failure = await failureOf(
      activityEnv().run(
        activities.command,
        script("console.error('x'.repeat(2000) + ' disk full'); process.exit(3)"),
      ),
    );
    expect(failure.type).toBe('CommandFailed');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toMatch(new RegExp(`^${node} exited with code 3: …x+ disk full$`));
    expect(failure.message.length).toBeLessThan(700);
  });

  it('keeps only the tail of a large output', async () => {
    const output = await activityEnv().run(
      activities.command,
      script("process.stdout.write('a'.repeat(200000) + 'THE END')", {}, 'big'),
    );
    expect(output.stdout.endsWith('THE END')).toBe(true);
    expect(output.stdout.startsWith('…')).toBe(true);
    expect(Buffer.byteLength(output.stdout)).toBeLessThanOrEqual(COMMAND_TAIL_BYTES + 3);
  });

  it('stops a command that outlives the attempt’s timeout', async () => {
    const failure = await failureOf(
      activityEnv({ startToCloseTimeoutMs: 1_500 }).run(
        activities.command,
        script("console.error('starting'); setTimeout(() => {}, 60000)"),
      ),
    );
    expect(failure.type).toBe('Timeout');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe(`${node} ran longer than 1.35s and was stopped: starting`);
  });

  it('kills the command (SIGTERM, then SIGKILL) when the activity is cancelled', async () => {
    const pidFile = join(scratch, 'stubborn.pid');
    const env = activityEnv();
    let heartbeats = 0;
    env.onHeartbeat(() => (heartbeats += 1));
    const running = env.run(
      activities.command,
      script(
        `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
         require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
         setInterval(() => {}, 1000);`,
        {},
        'stubborn',
      ),
    );
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(pid)).toBe(true);
    env.cancel();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(isRunning(pid)).toBe(false);
    expect(heartbeats).toBeGreaterThan(0);
    expect((await logsOf('stubborn')).map((log) => log.text)).toContain('ignoring SIGTERM');
  });

  it('runs the allowed name as resolved at start, whatever PATH or LD_PRELOAD the env sets', async () => {
    // A stand-in "sh" an attacker could place: it would print "hijacked".
    const fake = join(scratch, 'sh');
    await writeFile(fake, '#!/bin/sh\necho hijacked\n');
    await chmod(fake, 0o755);
    const byName = createActivities({ config: testConfig({ BATCHGRAPH_COMMANDS_ALLOWED: 'sh' }) });
    const output = await activityEnv().run(byName.command, {
      ...script(''),
      params: {
        command: 'sh',
        args: ['-c', 'echo real'],
        env: { PATH: scratch, LD_PRELOAD: join(scratch, 'missing.so') },
      },
    });
    expect(output.stdout.trim()).toBe('real');
  });

  it('reports an executable that cannot start as a final failure', async () => {
    const missing = createActivities({
      config: testConfig({ BATCHGRAPH_COMMANDS_ALLOWED: 'no-such-tool' }),
    });
    const failure = await failureOf(
      activityEnv().run(missing.command, {
        ...script(''),
        params: { command: 'no-such-tool', args: [] },
      }),
    );
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('could not start "no-such-tool"');
  });
});
