/**
 * Batchgraph beside its peers, in one run on this machine: a 50-task chain and a 200-task
 * fan-out/fan-in of no-op tasks, run by the interpreter and by a hand-written Temporal workflow (on
 * a dev server with the quick-start stack's settings), then by Prefect 3 (ephemeral local server)
 * and Dagster (`execute_in_process`, temporary SQLite instance) — bench/peers/peers.py. Prints the
 * median wall time and the time per task (wall time / tasks) of each.
 *
 *   npx tsx bench/peers.ts [runs=5]
 *
 * The peers are installed from PyPI into a virtualenv in the tools folder on first use
 * (BATCHGRAPH_PEERS_VENV, default <tools>/peers; BATCHGRAPH_TOOLS_DIR as for scripts/provision).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ROOT } from '../scripts/stack/paths';
import { batchgraphFlags, startDevServer } from './dev-server';
import { chain, fanOutIn, median, startSides, type Graph } from './temporal-sides';

const runs = Number(process.argv[2] ?? 5);
const CHAIN = 50;
const FAN_OUT = 200;
const PEERS = ['prefect>=3,<4', 'dagster>=1.13,<2'];
Runtime.install({ logger: new DefaultLogger('WARN') });

const tools = resolve(ROOT, process.env.BATCHGRAPH_TOOLS_DIR || '.tools');
const venv = process.env.BATCHGRAPH_PEERS_VENV || join(tools, 'peers');
const python = join(venv, 'bin', 'python');

function ensurePeers(): void {
  if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  try {
    execFileSync(python, ['-c', 'import prefect, dagster'], { stdio: 'ignore' });
  } catch {
    console.warn(`[peers] installing ${PEERS.join(', ')} into ${venv}`);
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', ...PEERS], { stdio: 'inherit' });
  }
}

interface Timing {
  system: string;
  graph: 'chain' | 'fan-out';
  ms: number;
  tasks: number;
}

async function temporalTimings(): Promise<Timing[]> {
  const server = await startDevServer(batchgraphFlags);
  const sides = await startSides(server.address, 'default');
  const graphs: [Timing['graph'], Graph][] = [
    ['chain', chain(CHAIN)],
    ['fan-out', fanOutIn(FAN_OUT)],
  ];
  const timings: Timing[] = [];
  try {
    // One warm-up round, then the sides take turns.
    for (let run = 0; run <= runs; run++) {
      for (const [name, graph] of graphs) {
        for (const side of ['interpreter', 'hand-written'] as const) {
          const began = performance.now();
          await sides.run(graph, side);
          const ms = performance.now() - began;
          const system = side === 'interpreter' ? 'Batchgraph' : 'hand-written Temporal workflow';
          if (run > 0) timings.push({ system, graph: name, ms, tasks: graph.tasks.length });
        }
      }
    }
  } finally {
    await sides.close();
    server.stop();
  }
  return timings;
}

function peerTimings(): Timing[] {
  const home = mkdtempSync(join(tmpdir(), 'batchgraph-peers-'));
  const script = fileURLToPath(new URL('./peers/peers.py', import.meta.url));
  const output = execFileSync(python, [script, String(runs), String(CHAIN), String(FAN_OUT)], {
    encoding: 'utf8',
    // Dagster logs every step to stderr; a failure's error carries it.
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      PREFECT_HOME: join(home, 'prefect'),
      PREFECT_LOGGING_LEVEL: 'WARNING',
      // The ephemeral server's default 20 s start-up budget is short on a loaded 2-core machine.
      PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: '180',
      PREFECT_SERVER_ANALYTICS_ENABLED: 'false',
      DAGSTER_HOME: home,
      DO_NOT_TRACK: '1',
    },
  });
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const { peer, ...timing } = JSON.parse(line) as Omit<Timing, 'system'> & { peer: string };
      return { system: peer, ...timing };
    });
}

async function main(): Promise<void> {
  ensurePeers();
  const timings = [...(await temporalTimings()), ...peerTimings()];
  const groups = new Map<string, Timing[]>();
  for (const timing of timings) {
    const key = `${timing.graph}\u0000${timing.system}`;
    groups.set(key, [...(groups.get(key) ?? []), timing]);
  }
  const perTask = (list: Timing[]): number => median(list.map(({ ms, tasks }) => ms / tasks));
  const rows = [...groups.values()].map((list) => {
    const { graph, system, tasks } = list[0]!;
    const ours = perTask(groups.get(`${graph}\u0000Batchgraph`)!);
    return {
      graph: `${graph} (${tasks} tasks)`,
      system,
      'wall ms': Math.round(median(list.map(({ ms }) => ms))),
      'ms per task': Number(perTask(list).toFixed(1)),
      '× Batchgraph': Number((perTask(list) / ours).toFixed(2)),
    };
  });
  rows.sort((a, b) => a.graph.localeCompare(b.graph));
  console.table(rows);
}

await main();
