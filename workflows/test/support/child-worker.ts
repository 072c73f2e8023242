/** The real worker entry point (`src/worker.ts`) as a child process, for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Config } from '@batchgraph/engine';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildWorker {
  process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  output(): string;
  /** The JSON log lines written so far. */
  logs(): Record<string, unknown>[];
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * Starts `tsx src/worker.ts` and resolves once it logs that it serves its queues. It serves
 * `config`'s BATCHGRAPH_WORKER_QUEUES (default: its task queue); `env` adds or overrides variables.
 */
export async function startChildWorker(
  config: Config,
  env: Record<string, string> = {},
): Promise<ChildWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: packageDir,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      MONGODB_URI: config.MONGODB_URI,
      MONGODB_DB: config.MONGODB_DB,
      BATCHGRAPH_TASK_QUEUE: config.BATCHGRAPH_TASK_QUEUE,
      BATCHGRAPH_WORKER_QUEUES: config.BATCHGRAPH_WORKER_QUEUES?.join(',') ?? '',
      BATCHGRAPH_HTTP_ALLOWED_HOSTS: config.BATCHGRAPH_HTTP_ALLOWED_HOSTS.join(','),
      BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS: '5',
      BATCHGRAPH_LOG_LEVEL: 'info',
      BATCHGRAPH_METRICS_PORT: '',
      BATCHGRAPH_OTEL_ENABLED: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const started = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('"msg":"worker started"')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`the worker exited (${code}) before it started:\n${output}`)),
    );
  });
  await started;
  return { process: child, exited, output: () => output, logs: () => jsonLines(stdout) };
}
