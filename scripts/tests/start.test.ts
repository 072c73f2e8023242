/**
 * The quick start as a user meets it: the real `./scripts/start` on free ports (23000–23999) with
 * a fresh data folder, then every example run through the API with no extra setup and checked
 * against its documented outcome (examples/README.md), one run from ▶ in Chromium (the input form
 * of network-automation), a worker SIGKILLed mid-run while the run carries on, and Ctrl-C
 * (SIGINT) leaving no process behind. Uses BATCHGRAPH_TOOLS_DIR (default .tools) for binaries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../stack/paths';

const START_TIMEOUT_MS = 300_000;
const screenshots = join(ROOT, 'artifacts/screenshots');
const RUN_TIMEOUT_MS = 180_000;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A block of `size` free consecutive ports in 23000–23999, starting at a multiple of 50. */
async function freeBlock(size: number, skip: Set<number>): Promise<number> {
  for (let base = 23_000; base + size <= 24_000; base += 50) {
    const ports = Array.from({ length: size }, (_, index) => base + index);
    if (ports.some((port) => skip.has(port))) continue;
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) {
      ports.forEach((port) => skip.add(port));
      return base;
    }
  }
  throw new Error('no free ports left in 23000–23999');
}

/** Every process below `root` (by parent pid), read from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

function environ(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

interface Run {
  status: string;
  tasks: Record<
    string,
    { state: string; attempts: number; progress?: { counters?: Record<string, number> } }
  >;
}

let stack: ChildProcess | undefined;
let output = '';
let dataDir = '';
let browser: Browser | undefined;
const urls = { api: '', editor: '', iam: '' };
let adminKey = '';
let failed = false;

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${urls.api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function jobId(name: string): Promise<string> {
  const page = await api<{ items: { id: string; name: string }[] }>(
    'GET',
    '/api/jobs?pageSize=200',
  );
  const job = page.items.find((item) => item.name === name);
  if (!job) throw new Error(`the stack did not load example ${name}`);
  return job.id;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined);
    if (last !== undefined && done(last)) return last;
    await delay(500);
  }
  throw new Error(`${what} did not happen in time; last: ${JSON.stringify(last)}`);
}

const runOf = (runId: string) => api<Run>('GET', `/api/runs/${encodeURIComponent(runId)}`);
const finished = (runId: string) =>
  until(
    `run ${runId} to finish`,
    () => runOf(runId),
    (run) => run.status !== 'running',
  );

async function runExample(name: string): Promise<Run> {
  const { runId } = await api<{ runId: string }>('POST', `/api/jobs/${await jobId(name)}/runs`, {});
  return finished(runId);
}

beforeAll(async () => {
  const taken = new Set<number>();
  const apps = await freeBlock(6, taken);
  const standinBase = await freeBlock(16, taken);
  dataDir = mkdtempSync(join(tmpdir(), 'batchgraph-start-'));
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        // As a user's shell has it: no Batchgraph settings, no test runner's variables.
        ([name]) =>
          !name.startsWith('BATCHGRAPH_') &&
          !name.startsWith('VITEST') &&
          !['NODE_ENV', 'TEST'].includes(name) &&
          !['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_UI_URL', 'MONGODB_URI'].includes(
            name,
          ),
      ),
    ),
    BATCHGRAPH_TOOLS_DIR: process.env.BATCHGRAPH_TOOLS_DIR ?? join(ROOT, '.tools'),
    BATCHGRAPH_DATA_DIR: dataDir,
    BATCHGRAPH_API_PORT: String(apps),
    BATCHGRAPH_EDITOR_PORT: String(apps + 1),
    TEMPORAL_PORT: String(apps + 2),
    TEMPORAL_UI_PORT: String(apps + 3),
    BATCHGRAPH_MONGO_PORT: String(apps + 4),
    BATCHGRAPH_SMTP_URL: `smtp://127.0.0.1:${apps + 5}`,
    BATCHGRAPH_STANDIN_PORT_BASE: String(standinBase - 1),
  };
  urls.api = `http://127.0.0.1:${apps}`;
  urls.editor = `http://127.0.0.1:${apps + 1}`;
  // The IAM stand-in listens on BATCHGRAPH_STANDIN_PORT_BASE + 1.
  urls.iam = `http://127.0.0.1:${standinBase}`;
  stack = spawn(join(ROOT, 'scripts/start'), [], { cwd: ROOT, env, detached: true });
  stack.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stack.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!output.includes('Press Ctrl-C')) {
    if (stack.exitCode !== null || Date.now() > deadline) {
      throw new Error(`./scripts/start did not come up:\n${output}`);
    }
    await delay(250);
  }
  adminKey = /admin key\s+(\S+)/.exec(output)?.[1] ?? '';
  expect(adminKey).not.toBe('');
}, START_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await browser?.close();
  if (stack?.pid !== undefined && stack.exitCode === null) {
    for (const pid of descendants(stack.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    stack.kill('SIGKILL');
  }
  // A failed run keeps the data folder (its logs are in logs/) for a look afterwards.
  if (existsSync(dataDir) && !failed) rmSync(dataDir, { recursive: true, force: true });
  else if (failed) console.error(`./scripts/start logs are in ${join(dataDir, 'logs')}`);
}, 30_000);

afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

describe('./scripts/start', () => {
  it('prints the URLs, and runs every example as documented with no extra setup', async () => {
    expect(output).toContain(urls.editor);
    expect(output).toContain(`${urls.api}  (docs:`);
    expect(output).toContain('worker-sync-1');
    expect(output).toMatch(/examples\s+5 imported/);

    // One after another, as a user presses ▶.
    const identity = await runExample('identity-lifecycle');
    const catalog = await runExample('catalog-maintenance');
    const entities = await runExample('entity-sync');
    const network = await runExample('network-automation');
    const erp = await runExample('erp-batch');
    expect(identity?.status, JSON.stringify(identity)).toBe('succeeded');
    const iam = (await (await fetch(`${urls.iam}/_state`)).json()) as {
      accounts: { status: string }[];
    };
    expect(iam.accounts.filter((account) => account.status === 'disabled')).toHaveLength(4);
    expect(catalog?.status, JSON.stringify(catalog)).toBe('succeeded');
    expect(entities?.status, JSON.stringify(entities)).toBe('succeeded');
    expect(entities?.tasks['sync']?.progress?.counters).toEqual({
      added: 6,
      updated: 6,
      unchanged: 6,
    });
    expect(network?.status, JSON.stringify(network)).toBe('succeeded');
    expect(erp?.status, JSON.stringify(erp)).toBe('succeeded');
    expect(erp?.tasks).toMatchObject({
      'sync-rates': { state: 'succeeded', attempts: 3 },
      'refresh-dashboard': { state: 'failed' },
      'post-ledger': { state: 'failed', attempts: 4 },
      'confirm-batch': { state: 'skipped' },
      'alert-finance': { state: 'succeeded' },
    });
  }, 400_000);

  it('runs network-automation from ▶ in Chromium through its input form', async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless=new', '--no-sandbox', '--disable-gpu'],
    });
    const page = await browser.newPage();
    await page.goto(`${urls.editor}/jobs`);
    await page.getByLabel('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Run network-automation now' }).click();
    const form = page.getByRole('dialog', { name: 'Run network-automation' });
    await expect.poll(() => form.getByLabel(/^devices/).inputValue()).toContain('edge-router-1');
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/runs\//, { timeout: 30_000 });
    const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const run = await finished(runId);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');

    // The run's and the task's Temporal UI links land on the UI the stack ships.
    const { temporalUiUrl } = await api<{ temporalUiUrl: string }>(
      'GET',
      `/api/runs/${encodeURIComponent(runId)}`,
    );
    const ui = await page.goto(temporalUiUrl);
    expect(ui?.status()).toBe(200);
    await expect.poll(() => page.textContent('body'), { timeout: 30_000 }).toContain(runId);
    const { url } = await api<{ url: string }>(
      'GET',
      `/api/runs/${encodeURIComponent(runId)}/tasks/push-config/temporal-link`,
    );
    expect(url).toMatch(/\/history\/events\/\d+$/);
    await page.goto(url);
    await expect
      .poll(() => page.textContent('body'), { timeout: 30_000 })
      .toMatch(/ActivityTaskScheduled|Activity Task Scheduled/);
    expect(await page.textContent('body')).toContain('push-config');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'temporal-ui-task-activity.png') });
  }, 120_000);

  it('restarts a worker SIGKILLed mid-run, and the run finishes', async () => {
    // A job as a user draws it, with the defaults: long enough to kill its worker in the middle.
    const job = await api<{ id: string }>('POST', '/api/jobs', {
      formatVersion: 1,
      name: 'durability-demo',
      tasks: [
        { id: 'wait', type: 'delay', params: { seconds: 6 } },
        { id: 'after', type: 'delay', params: { seconds: 1 } },
      ],
      edges: [{ from: 'wait', to: 'after', on: 'success' }],
    });
    const { runId } = await api<{ runId: string }>('POST', `/api/jobs/${job.id}/runs`, {});
    // worker-1 runs the interpreter, which holds the run while `wait` is going.
    await until(
      'the first task to be running',
      () => runOf(runId),
      (run) => run.tasks['wait']?.state === 'running',
    );
    // The worker process itself (npm → sh → tsx → node): the deepest process of the general
    // worker's tree that runs worker.ts (tsx's esbuild service may sit below it).
    const runsWorker = (pid: number) => cmdline(pid).includes('src/worker.ts');
    const worker = descendants(stack!.pid!).find(
      (pid) =>
        runsWorker(pid) &&
        !descendants(pid).some(runsWorker) &&
        !environ(pid).includes('BATCHGRAPH_WORKER_QUEUES=sync'),
    );
    expect(worker, 'the general worker process').toBeDefined();
    process.kill(worker!, 'SIGKILL');
    await until(
      'the supervisor to restart the worker',
      async () => output,
      (text) => /worker-1 exited \(.+\), restarting in \d+s/.test(text),
    );
    const run = await finished(runId);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    await until(
      'the restarted worker',
      async () => output,
      (text) => text.includes('worker-1 restarted'),
    );
  }, 240_000);

  it('stops every process on Ctrl-C (SIGINT)', async () => {
    const pids = descendants(stack!.pid!);
    expect(pids.length).toBeGreaterThan(5);
    const exited = new Promise((resolve) => stack!.once('exit', resolve));
    process.kill(stack!.pid!, 'SIGINT');
    await Promise.race([exited, delay(90_000)]);
    expect(stack!.exitCode ?? stack!.signalCode).not.toBeNull();
    expect(output).toContain('[batchgraph] stopped');
    await until(
      'every process to end',
      async () => pids.filter(alive),
      (left) => left.length === 0,
    );
  }, 120_000);
});
