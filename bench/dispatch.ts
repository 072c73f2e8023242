/**
 * Temporal's own per-step cost, without the interpreter: a chain of no-op activities and a fan-out
 * of them (bench/dispatch-workflows.ts), run on dev servers started with different settings, side
 * by side in one run (the variants take turns, so they share the machine's load). For each
 * variant: median wall time per task of a chain run right after another (the steady state) and
 * of one run after a pause, the fan-out's wall time, and the mean per chain step of each phase of
 * bench/history.ts (dispatch, workflow task, activity).
 *
 *   npx tsx bench/dispatch.ts [runs=5] [--all] [--match=TEXT…]
 *
 * --all adds the other hypotheses tried while looking for the 50 ms (README.md, Performance);
 * --match=TEXT runs only those whose name holds TEXT, beside the defaults.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { DEV_SERVER_SQLITE_PRAGMAS } from '../scripts/stack/servers';
import { batchgraphFlags, startDevServer, type DevServer } from './dev-server';
import { phases, type Phase } from './history';

const args = process.argv.slice(2);
const runs = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 5);
const all = args.includes('--all') || args.some((arg) => arg.startsWith('--match='));
/** --match=TEXT keeps the variants whose name holds TEXT (and the defaults, the baseline). */
const matches = args.filter((arg) => arg.startsWith('--match=')).map((arg) => arg.slice(8));
const CHAIN = 50;
const FAN_OUT = 200;
Runtime.install({ logger: new DefaultLogger('WARN') });

type WorkerTuning = Partial<
  Pick<
    WorkerOptions,
    | 'maxCachedWorkflows'
    | 'maxConcurrentWorkflowTaskPolls'
    | 'maxConcurrentActivityTaskPolls'
    | 'workflowTaskPollerBehavior'
    | 'activityTaskPollerBehavior'
  >
>;

interface Variant {
  name: string;
  /** Extra `temporal server start-dev` flags. */
  server: string[];
  worker?: WorkerTuning;
  /** Run the chain as local activities instead (the floor: no server round trip per step). */
  local?: boolean;
}

const ours = batchgraphFlags;
const dynamic = (key: string, value: string | number | boolean): string[] => [
  '--dynamic-config-value',
  `${key}=${JSON.stringify(value)}`,
];

const sqliteFile = (): string[] => [
  '--db-filename',
  join(mkdtempSync(join(tmpdir(), 'dispatch-')), 'temporal.db'),
];

const allVariants: Variant[] = [
  { name: 'dev-server defaults', server: [] },
  { name: 'Batchgraph dev server (servers.ts)', server: ours },
  ...(all
    ? [
        {
          name: 'defaults, eager activities off',
          server: dynamic('system.enableActivityEagerExecution', false),
        },
        {
          name: 'defaults, 1 task-queue partition',
          server: [
            ...dynamic('matching.numTaskqueueReadPartitions', 1),
            ...dynamic('matching.numTaskqueueWritePartitions', 1),
          ],
        },
        {
          name: 'defaults, no sticky queue (maxCachedWorkflows 0)',
          server: [],
          worker: { maxCachedWorkflows: 0 },
        },
        {
          name: 'transferProcessorMaxPollRPS 100',
          server: dynamic('history.transferProcessorMaxPollRPS', 100),
        },
        {
          name: 'transferProcessorMaxPollRPS 10000',
          server: dynamic('history.transferProcessorMaxPollRPS', 10000),
        },
        {
          name: 'ours, eager activities off',
          server: [...ours, ...dynamic('system.enableActivityEagerExecution', false)],
        },
        { name: 'ours, no sticky queue', server: ours, worker: { maxCachedWorkflows: 0 } },
        {
          name: 'ours, 2 pollers each',
          server: ours,
          worker: { maxConcurrentWorkflowTaskPolls: 2, maxConcurrentActivityTaskPolls: 2 },
        },
        {
          name: 'ours, autoscaling pollers',
          server: ours,
          worker: {
            workflowTaskPollerBehavior: { type: 'autoscaling' as const },
            activityTaskPollerBehavior: { type: 'autoscaling' as const },
          },
        },
        { name: 'ours, SQLite file, default journal', server: [...ours, ...sqliteFile()] },
        {
          name: 'ours, SQLite file as the quick-start stack (WAL, synchronous=NORMAL)',
          server: [
            ...ours,
            ...sqliteFile(),
            ...DEV_SERVER_SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
          ],
        },
        { name: 'ours, local activities (floor)', server: ours, local: true },
      ]
    : []),
];

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const variants = allVariants.filter(
  (variant, index) =>
    index === 0 || matches.length === 0 || matches.some((text) => variant.name.includes(text)),
);

interface Running {
  variant: Variant;
  client: Client;
  taskQueue: string;
  chain: number[];
  fanOut: number[];
  phases: Record<Phase, number>[];
  afterIdle: number[];
}

async function main(): Promise<void> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./dispatch-workflows.ts', import.meta.url)),
    logger: new DefaultLogger('WARN'),
  });
  const servers = new Map<string, DevServer>();
  const workers: Worker[] = [];
  const connections: NativeConnection[] = [];
  const running: Running[] = [];
  for (const variant of variants) {
    const key = variant.server.join(' ');
    if (!servers.has(key)) servers.set(key, await startDevServer(variant.server));
    const { address } = servers.get(key)!;
    const connection = await NativeConnection.connect({ address });
    connections.push(connection);
    const taskQueue = `dispatch-${randomUUID().slice(0, 8)}`;
    workers.push(
      await Worker.create({
        connection,
        taskQueue,
        workflowBundle,
        activities: { noop: async () => undefined },
        ...variant.worker,
      }),
    );
    const client = new Client({ connection: await Connection.connect({ address }) });
    running.push({ variant, client, taskQueue, chain: [], afterIdle: [], fanOut: [], phases: [] });
  }
  const runningWorkers = workers.map((worker) => worker.run());

  // One warm-up round, then the variants take turns.
  for (let round = 0; round <= runs; round++) {
    for (const entry of running) {
      const { client, taskQueue, variant } = entry;
      // The first chain after a pause finds the server's rate limiters full (a burst); the second,
      // right after it, shows the steady state of back-to-back steps.
      const chainOnce = async (): Promise<{ ms: number; workflowId: string }> => {
        const workflowId = `dispatch-${randomUUID()}`;
        const began = performance.now();
        await client.workflow.execute(variant.local ? 'localChain' : 'chain', {
          args: [CHAIN],
          taskQueue,
          workflowId,
        });
        return { ms: performance.now() - began, workflowId };
      };
      const first = await chainOnce();
      const second = await chainOnce();
      if (round > 0) {
        entry.afterIdle.push(first.ms / CHAIN);
        entry.chain.push(second.ms / CHAIN);
      }
      if (variant.local) continue;
      const began = performance.now();
      await client.workflow.execute('fanOutIn', {
        args: [FAN_OUT],
        taskQueue,
        workflowId: `dispatch-${randomUUID()}`,
      });
      const fanOutMs = performance.now() - began;
      if (round === 0) continue;
      entry.fanOut.push(fanOutMs);
      const spans = await phases(client, second.workflowId);
      entry.phases.push({
        dispatch: spans.dispatch.meanMs,
        workflow: spans.workflow.meanMs,
        activity: spans.activity.meanMs,
      });
    }
  }

  const base = median(running[0]!.chain);
  const rows = running.map(({ variant, chain, afterIdle, fanOut, phases }) => {
    const phase = (name: Phase): number | string =>
      phases.length ? Number(median(phases.map((p) => p[name])).toFixed(1)) : '—';
    return {
      variant: variant.name,
      'chain ms/task': Number(median(chain).toFixed(1)),
      'vs defaults': Number((median(chain) / base).toFixed(3)),
      'after a pause': Number(median(afterIdle).toFixed(1)),
      'dispatch ms': phase('dispatch'),
      'workflow ms': phase('workflow'),
      'activity ms': phase('activity'),
      [`fan-out ${FAN_OUT} ms`]: fanOut.length ? Math.round(median(fanOut)) : '—',
    };
  });
  console.table(rows);

  for (const worker of workers) worker.shutdown();
  await Promise.all(runningWorkers);
  for (const connection of connections) await connection.close();
  for (const { client } of running) await client.connection.close();
  for (const server of servers.values()) server.stop();
}

await main();
