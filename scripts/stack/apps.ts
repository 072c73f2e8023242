import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { portsFromEnv, type StandinPorts } from '../../examples/src/ports';
import { StackError } from './errors';
import { httpOk, runTemporalCli, tcpOpen, waitUntilHealthy, type HealthCheck } from './health';
import { ROOT, type Env } from './paths';
import { readPort, type PortClaim } from './ports';
import type { ManagedProcess, Supervisor } from './processes';
import type { RunningTemporal } from './servers';

/** The product's own processes, all run through their workspaces' npm scripts. */
export interface AppContext {
  supervisor: Supervisor;
  logDir: string;
  /** The environment every product process gets: server addresses, keys, local defaults. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  temporal: RunningTemporal;
  temporalCli: string;
}

export interface AppPorts {
  api: number[];
  editor: number;
}

export interface WorkerGroup {
  name: string;
  /** The only queue this worker polls; undefined means the worker's default queues. */
  queue: string | undefined;
}

function readCount(env: Env, variable: string, fallback: number, min: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < min) {
    throw new StackError(`${variable} must be a whole number of at least ${min}, not "${raw}"`);
  }
  return count;
}

export function readAppPorts(env: Env): AppPorts {
  const first = readPort(env, 'BATCHGRAPH_API_PORT', 3000);
  const processes = readCount(env, 'BATCHGRAPH_API_PROCESSES', 1, 1);
  return {
    api: Array.from({ length: processes }, (_, index) => first + index),
    editor: readPort(env, 'BATCHGRAPH_EDITOR_PORT', 5173),
  };
}

export function appPortClaims(ports: AppPorts): PortClaim[] {
  return [
    ...ports.api.map((port, index) => ({
      port,
      label: index === 0 ? 'API' : `API process ${index + 1}`,
      variable: 'BATCHGRAPH_API_PORT',
    })),
    { port: ports.editor, label: 'editor', variable: 'BATCHGRAPH_EDITOR_PORT' },
  ];
}

/** The stand-ins' ports, or undefined when the examples define no stand-ins to start. */
export function readStandinPorts(env: Env): StandinPorts | undefined {
  if (!hasScript('examples', 'standins')) return undefined;
  try {
    return portsFromEnv(env);
  } catch (error) {
    throw new StackError('the stand-in services are misconfigured', { cause: error });
  }
}

export function standinPortClaims(ports: StandinPorts | undefined): PortClaim[] {
  if (!ports) return [];
  return Object.entries(ports).map(([name, port]) => ({
    port,
    label: `stand-in service ${name}`,
    variable: name === 'smtp' ? 'BATCHGRAPH_SMTP_URL' : 'BATCHGRAPH_STANDIN_PORT_BASE',
  }));
}

/**
 * The pools the local stack starts when BATCHGRAPH_WORKER_POOLS is unset: the entity-sync
 * example's tasks run on queue `sync`, and a queue nobody polls would leave its runs waiting.
 */
export const DEFAULT_WORKER_POOLS = 'sync:1';

/**
 * The local default of BATCHGRAPH_HTTP_ALLOWED_HOSTS: the HTTP stand-ins' ports on loopback and
 * nothing else (empty without stand-ins).
 */
export function standinAllowList(ports: StandinPorts | undefined): string {
  if (!ports) return '';
  const { smtp: _smtp, ...http } = ports;
  return Object.values(http)
    .flatMap((port) => [`127.0.0.1:${port}`, `localhost:${port}`])
    .join(',');
}

/**
 * BATCHGRAPH_WORKERS general workers plus BATCHGRAPH_WORKER_POOLS="queue:count,…" pools
 * (default DEFAULT_WORKER_POOLS; set it empty for none).
 */
export function readWorkerGroups(env: Env): WorkerGroup[] {
  const general = readCount(env, 'BATCHGRAPH_WORKERS', 1, 0);
  const groups: WorkerGroup[] = Array.from({ length: general }, (_, index) => ({
    name: `worker-${index + 1}`,
    queue: undefined,
  }));
  for (const entry of (env.BATCHGRAPH_WORKER_POOLS ?? DEFAULT_WORKER_POOLS).split(',')) {
    if (!entry.trim()) continue;
    const match = /^\s*([A-Za-z0-9_.-]+)\s*:\s*(\d+)\s*$/.exec(entry);
    if (!match?.[1] || !match[2]) {
      throw new StackError(
        `BATCHGRAPH_WORKER_POOLS must look like "queue:count,queue2:count", and "${entry}" does not`,
      );
    }
    const queue = match[1];
    for (let index = 1; index <= Number(match[2]); index++) {
      groups.push({ name: `worker-${queue}-${index}`, queue });
    }
  }
  return groups;
}

function npmRun(workspace: string, script: string): { command: string; args: string[] } {
  return { command: 'npm', args: ['run', script, '--workspace', workspace] };
}

function hasScript(workspaceDir: string, script: string): boolean {
  const manifest = JSON.parse(readFileSync(join(ROOT, workspaceDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return manifest.scripts?.[script] !== undefined;
}

interface Poller {
  lastAccessTime?: string;
}

/**
 * A worker is up once Temporal has seen it poll its queue. Pollers are remembered for minutes,
 * so only polls after this worker started count.
 */
function pollsQueue(context: AppContext, queue: string, since: number): HealthCheck {
  return async () => {
    const args = ['task-queue', 'describe', '--task-queue', queue, '--disable-stats'];
    args.push('--address', context.temporal.address, '--namespace', context.temporal.namespace);
    args.push('--output', 'json');
    const stdout = await runTemporalCli(context.temporalCli, args, context.env);
    const pollers = (JSON.parse(stdout) as { pollers?: Poller[] | null }).pollers ?? [];
    const fresh = pollers.some((poller) => Date.parse(poller.lastAccessTime ?? '') >= since);
    if (!fresh) throw new Error(`nothing polls task queue "${queue}" yet`);
  };
}

/** Tolerated clock slack between this machine and the Temporal server. */
const CLOCK_SLACK_MS = 2000;

export class Apps {
  constructor(private readonly context: AppContext) {}

  private start(
    name: string,
    workspace: string,
    script: string,
    options: { env?: Env; stopTimeoutMs?: number } = {},
  ): ManagedProcess {
    return this.context.supervisor.start({
      name,
      ...npmRun(workspace, script),
      cwd: ROOT,
      env: { ...this.context.env, ...options.env },
      logFile: join(this.context.logDir, `${name}.log`),
      restart: true,
      ...(options.stopTimeoutMs ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
    });
  }

  private wait(name: string, process: ManagedProcess, check: HealthCheck): Promise<void> {
    return waitUntilHealthy({ name, process, timeoutMs: this.context.timeoutMs }, check);
  }

  /** The example jobs' stand-in services, up once every one of their ports answers. */
  async startStandins(ports: StandinPorts): Promise<void> {
    const process = this.start('standins', '@batchgraph/examples', 'standins');
    await Promise.all(
      Object.entries(ports).map(([name, port]) =>
        this.wait(`stand-in service ${name}`, process, tcpOpen('127.0.0.1', port)),
      ),
    );
  }

  async startWorkers(groups: readonly WorkerGroup[]): Promise<void> {
    const defaultQueue = this.context.env.BATCHGRAPH_TASK_QUEUE || 'batchgraph';
    // A worker finishes its running activities for up to its shutdown grace before it exits.
    const grace = Number(this.context.env.BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS || 30);
    const stopTimeoutMs = (grace + 5) * 1000;
    await Promise.all(
      groups.map((group) => {
        const since = Date.now() - CLOCK_SLACK_MS;
        const env = group.queue ? { BATCHGRAPH_WORKER_QUEUES: group.queue } : {};
        const process = this.start(group.name, '@batchgraph/workflows', 'worker', {
          env,
          stopTimeoutMs,
        });
        const queue = group.queue ?? defaultQueue;
        return this.wait(group.name, process, pollsQueue(this.context, queue, since));
      }),
    );
  }

  async startApis(ports: readonly number[]): Promise<void> {
    await Promise.all(
      ports.map((port, index) => {
        const name = index === 0 ? 'api' : `api-${index + 1}`;
        const process = this.start(name, '@batchgraph/api', 'start', {
          env: { BATCHGRAPH_API_PORT: String(port) },
        });
        return this.wait(name, process, httpOk(`http://127.0.0.1:${port}/api/health`));
      }),
    );
  }

  async startEditor(port: number): Promise<void> {
    const process = this.start('editor', '@batchgraph/editor', 'dev');
    await this.wait('editor', process, httpOk(`http://127.0.0.1:${port}/`));
  }
}
