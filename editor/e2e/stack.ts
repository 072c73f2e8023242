/**
 * Starts the real stack for the end-to-end tests: builds the editor, then runs the API, a worker
 * and `vite preview` (proxying /api) as child processes on free ports, against the Temporal and
 * MongoDB servers named by TEMPORAL_ADDRESS / MONGODB_URI, with a database and task queue of
 * their own. Fails with the reason when a server is unreachable or a process dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    apiUrl: string;
    adminKey: string;
    temporalUiUrl: string;
  }
}

const editorDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(editorDir, '..');
const logDir = join(repoDir, 'artifacts', 'e2e-logs');

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

function start(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Child {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`));
  // Its own process group, so stopping it also stops what npx started.
  const child = spawn('npx', args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { name, process: child, exited };
}

function stop(child: Child): Promise<unknown> {
  if (child.process.exitCode !== null || child.process.pid === undefined) return Promise.resolve();
  try {
    process.kill(-child.process.pid, 'SIGTERM');
  } catch {
    return Promise.resolve();
  }
  const force = setTimeout(() => {
    try {
      process.kill(-child.process.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 8000);
  return child.exited.finally(() => clearTimeout(force));
}

async function run(
  name: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const child = start(name, args, cwd, env);
  const code = await child.exited;
  if (code !== 0)
    throw new Error(`${name} failed with exit code ${code}; see ${join(logDir, `${name}.log`)}`);
}

/** Polls until `check` resolves, failing early when one of `children` exits. */
async function waitFor(
  what: string,
  check: () => Promise<void>,
  children: Child[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const dead = children.find((child) => child.process.exitCode !== null);
    if (dead)
      throw new Error(
        `${dead.name} exited (code ${dead.process.exitCode}) before ${what}; see ${join(logDir, `${dead.name}.log`)}`,
      );
    try {
      await check();
      return;
    } catch (error) {
      last = error;
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`Timed out waiting for ${what}: ${String(last)}`, { cause: last });
}

export default async function setup(project: TestProject) {
  const stamp = `${Date.now().toString(36)}${process.pid}`;
  const adminKey = `e2e-admin-${stamp}-key-0123456789`;
  const [apiPort, editorPort] = [
    await getPort({ host: '127.0.0.1' }),
    await getPort({ host: '127.0.0.1' }),
  ];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const baseUrl = `http://127.0.0.1:${editorPort}`;
  const temporalUiUrl = process.env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017',
    MONGODB_DB: `e2e_editor_${stamp}`,
    BATCHGRAPH_TASK_QUEUE: `e2e-editor-${stamp}`,
    BATCHGRAPH_WORKER_QUEUES: '',
    BATCHGRAPH_ADMIN_KEY: adminKey,
    // Seals connection secrets; the connections screen cannot create any without it.
    BATCHGRAPH_SECRET_KEY: randomBytes(32).toString('base64'),
    BATCHGRAPH_API_HOST: '127.0.0.1',
    BATCHGRAPH_API_PORT: String(apiPort),
    BATCHGRAPH_EDITOR_ORIGIN: baseUrl,
    BATCHGRAPH_PUBLIC_URL: baseUrl,
    BATCHGRAPH_COMMANDS_ALLOWED: '/bin/true,/bin/false,/bin/echo',
    BATCHGRAPH_LOG_LEVEL: 'warn',
    BATCHGRAPH_METRICS_PORT: '',
    BATCHGRAPH_EDITOR_PORT: String(editorPort),
    BATCHGRAPH_API_URL: apiUrl,
  };

  await run('vite-build', ['vite', 'build', '--logLevel', 'warn'], editorDir, env);
  const children = [
    start('api', ['tsx', 'src/server.ts'], join(repoDir, 'api'), env),
    start('worker', ['tsx', 'src/worker.ts'], join(repoDir, 'workflows'), env),
    start('preview', ['vite', 'preview'], editorDir, env),
  ];
  const teardown = () => Promise.all(children.map(stop));
  try {
    await waitFor(
      'the API to report Temporal and MongoDB healthy',
      async () => {
        const response = await fetch(`${apiUrl}/api/health`);
        const body = (await response.json()) as { status: string };
        if (body.status !== 'ok') throw new Error(`health: ${JSON.stringify(body)}`);
        const me = await fetch(`${apiUrl}/api/me`, {
          headers: { Authorization: `Bearer ${adminKey}` },
        });
        if (!me.ok) throw new Error(`admin key not seeded yet (${me.status})`);
      },
      children,
      90_000,
    );
    await waitFor(
      'the editor preview server',
      async () => {
        const response = await fetch(baseUrl);
        if (!response.ok) throw new Error(`preview answered ${response.status}`);
      },
      children,
      30_000,
    );
    // The worker logs nothing at warn level when it starts; give it a moment to poll its queue.
    await new Promise((done) => setTimeout(done, 3000));
    const worker = children[1]!;
    if (worker.process.exitCode !== null)
      throw new Error(`worker exited; see ${join(logDir, 'worker.log')}`);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('apiUrl', apiUrl);
  project.provide('adminKey', adminKey);
  project.provide('temporalUiUrl', temporalUiUrl);
  return teardown;
}
