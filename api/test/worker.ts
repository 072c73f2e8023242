/** The real Batchgraph worker as a child process, serving one test's task queue. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MONGODB_URI, TEMPORAL_ADDRESS } from './harness';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  stop(): Promise<void>;
  output(): string;
}

/**
 * `taskQueue` is the interpreter queue (BATCHGRAPH_TASK_QUEUE); the worker serves `queues`
 * (default: just that one), running workflows only on the interpreter queue. `env` adds to or
 * overrides the worker's environment.
 */
export async function startWorker(
  taskQueue: string,
  dbName: string,
  { queues = [taskQueue], env = {} }: { queues?: string[]; env?: Record<string, string> } = {},
): Promise<WorkerProcess> {
  let output = '';
  const child: ChildProcess = spawn('npx', ['tsx', 'workflows/src/worker.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      BATCHGRAPH_WORKER_QUEUES: queues.join(','),
      BATCHGRAPH_TASK_QUEUE: taskQueue,
      TEMPORAL_ADDRESS,
      MONGODB_URI,
      MONGODB_DB: dbName,
      BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1',
      BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS: '1',
      BATCHGRAPH_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 45_000);
    const check = (): void => {
      if (output.includes('worker started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${output}`));
    });
  });
  return {
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(
        () => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'),
        10_000,
      );
      await exited;
      clearTimeout(timer);
    },
  };
}
