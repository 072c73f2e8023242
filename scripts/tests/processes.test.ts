import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  describeExit,
  type ExitInfo,
  type ManagedProcess,
  type ProcessSpec,
  Supervisor,
} from '../stack/processes';

const dir = mkdtempSync(join(tmpdir(), 'batchgraph-processes-'));
const supervisors: Supervisor[] = [];

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((created) => created.stopAll()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function supervisor(
  onExit: (managed: ManagedProcess, info: ExitInfo) => void = () => {},
  notify?: (line: string) => void,
) {
  const created = new Supervisor(onExit, notify);
  supervisors.push(created);
  return created;
}

function node(name: string, script: string, extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: ['-e', script],
    cwd: dir,
    env: process.env,
    logFile: join(dir, `${name}.log`),
    ...extra,
  };
}

async function logShows(file: string, text: string): Promise<void> {
  while (!(existsSync(file) && readFileSync(file, 'utf8').includes(text))) await delay(50);
}

/** A process that is gone or a zombie nobody reaped yet no longer runs anything. */
function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  return !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
}

describe('Supervisor', () => {
  it('writes output to the log file and stops the process with SIGTERM', async () => {
    const owner = supervisor();
    const managed = owner.start(node('echo', "console.log('ready'); setInterval(() => {}, 1000)"));
    await logShows(managed.logFile, 'ready');
    await owner.stopAll();
    expect(await managed.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('stops grandchildren that a wrapper process started', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const spec = node('wrapper', '', {
      command: 'bash',
      args: ['-c', `sleep 300 & echo $! > ${pidFile}; echo started; wait`],
    });
    const owner = supervisor();
    const managed = owner.start(spec);
    await logShows(managed.logFile, 'started');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(grandchild)).toBe(true);
    await owner.stopAll();
    expect(isRunning(grandchild)).toBe(false);
  });

  it('kills a process that ignores SIGTERM once the stop timeout passes', async () => {
    const script =
      "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)";
    const owner = supervisor();
    const managed = owner.start(node('stubborn', script, { stopTimeoutMs: 300 }));
    await logShows(managed.logFile, 'ready');
    await owner.stopAll();
    expect((await managed.exited).signal).toBe('SIGKILL');
  });

  it('reports a process that exits on its own, but not one it stopped', async () => {
    const reported: string[] = [];
    const watcher = supervisor((managed, info) =>
      reported.push(`${managed.name} ${describeExit(info)}`),
    );
    const quitter = watcher.start(node('quitter', 'process.exit(3)'));
    await quitter.exited;
    const sleeper = watcher.start(
      node('sleeper', "console.log('ready'); setInterval(() => {}, 1000)"),
    );
    await logShows(sleeper.logFile, 'ready');
    await watcher.stopAll();
    expect(reported).toEqual(['quitter exited with code 3']);
  });

  it('restarts a process marked restart after it is SIGKILLed, says so, and stops the new one', async () => {
    const lines: string[] = [];
    const reported: string[] = [];
    const owner = supervisor(
      (managed) => reported.push(managed.name),
      (line) => lines.push(line),
    );
    const first = owner.start(
      node('worker-1', "console.log('up', process.pid); setInterval(() => {}, 1000)", {
        restart: true,
      }),
    );
    await logShows(first.logFile, 'up');
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    while (!lines.some((line) => line.includes('restarted'))) await delay(50);
    expect(lines[0]).toMatch(/^\[batchgraph\] worker-1 exited \(SIGKILL\), restarting in 1s/);
    const pid = Number(/pid (\d+)/.exec(lines[1] ?? '')?.[1]);
    expect(pid).not.toBe(first.pid);
    // The log of the new process is appended to the old one's.
    while (readFileSync(first.logFile, 'utf8').split('up').length < 3) await delay(50);
    expect(isRunning(pid)).toBe(true);
    await owner.stopAll();
    expect(isRunning(pid)).toBe(false);
    expect(reported).toEqual([]);
  });

  it('stops what is left of a process group whose leader died on its own', async () => {
    const pidFile = join(dir, 'orphan.pid');
    const owner = supervisor();
    const managed = owner.start(
      node('wrapper-dies', '', {
        command: 'bash',
        args: ['-c', `sleep 300 & echo $! > ${pidFile}; echo started; sleep 0.3; kill -9 $$`],
      }),
    );
    await logShows(managed.logFile, 'started');
    const orphan = Number(readFileSync(pidFile, 'utf8'));
    await managed.exited;
    while (isRunning(orphan)) await delay(50);
    expect(isRunning(orphan)).toBe(false);
  });

  it('says so when the command cannot be started', async () => {
    const managed = supervisor().start(
      node('missing', '', { command: join(dir, 'no-such-binary') }),
    );
    expect(describeExit(await managed.exited)).toMatch(/^could not be started \(.*ENOENT/);
  });
});
