/**
 * The interpreter's overhead: the same graphs run (a) by the interpreter workflow and (b) by
 * hand-written workflows (workflows/src/bench/workflows.ts) calling the same no-op activity in the
 * same order and parallelism, side by side on the local dev server. Prints the median wall time of
 * each and the ratio (a)/(b), and from the histories (bench/history.ts) how many workflow tasks
 * each took and the worker's summed time in them, so a difference shows whether it is workflow
 * code (worker time) or dispatch.
 *
 *   npx tsx bench/interpreter.ts [runs=5]
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  compileJob,
  loadConfig,
  WORKFLOW_TYPE,
  type Plan,
  type RunInput,
} from '@batchgraph/engine';
import { bundleInterpreter, ignoreModules } from '@batchgraph/workflows';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { phases } from './history';

const runs = Number(process.argv[2] ?? 5);
const config = loadConfig(process.env);
Runtime.install({ logger: new DefaultLogger('WARN') });

interface Graph {
  name: string;
  tasks: { id: string }[];
  edges: [string, string][];
  maxParallel: number;
  handWritten: { type: string; args: number[] };
}

function chain(length: number): Graph {
  const ids = Array.from({ length }, (_, i) => `c${i}`);
  return {
    name: `chain of ${length}`,
    tasks: ids.map((id) => ({ id })),
    edges: ids.slice(1).map((id, i) => [ids[i]!, id]),
    maxParallel: 1,
    handWritten: { type: 'chain', args: [length] },
  };
}

function fanOutIn(width: number): Graph {
  const ids = Array.from({ length: width }, (_, i) => `f${i}`);
  return {
    name: `fan-out/fan-in of ${width}`,
    tasks: [{ id: 'start' }, ...ids.map((id) => ({ id })), { id: 'end' }],
    edges: [
      ...ids.map((id): [string, string] => ['start', id]),
      ...ids.map((id): [string, string] => [id, 'end']),
    ],
    maxParallel: width,
    handWritten: { type: 'fanOutIn', args: [width] },
  };
}

function layered(layers: number, width: number): Graph {
  const id = (layer: number, i: number): string => `l${layer}_${i}`;
  const tasks = [];
  const edges: [string, string][] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      tasks.push({ id: id(layer, i) });
      if (layer > 0) for (let j = 0; j < width; j++) edges.push([id(layer - 1, j), id(layer, i)]);
    }
  }
  return {
    name: `${layers}×${width} layered DAG`,
    tasks,
    edges,
    maxParallel: width,
    handWritten: { type: 'layered', args: [layers, width] },
  };
}

function planOf(graph: Graph, taskQueue: string): Plan {
  const compiled = compileJob(
    {
      formatVersion: 1,
      name: 'bench',
      tasks: graph.tasks.map(({ id }) => ({
        id,
        type: 'http',
        params: { method: 'GET', url: `http://127.0.0.1/${id}` },
      })),
      edges: graph.edges.map(([from, to]) => ({ from, to, on: 'success' })),
      settings: { maxParallel: graph.maxParallel },
    },
    { taskQueue },
  );
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.plan;
}

/** The no-op stand-in for every task: answers at once, like an instant HTTP 200. */
const activities = {
  http: async () => ({ status: 200, headers: {}, body: null }),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const suffix = randomUUID().slice(0, 8);
  const interpreterQueue = `bench-interpreter-${suffix}`;
  const handQueue = `bench-hand-${suffix}`;
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({
    connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const handBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../workflows/src/bench/workflows.ts', import.meta.url)),
    ignoreModules,
  });
  const workers = await Promise.all([
    Worker.create({
      connection,
      taskQueue: interpreterQueue,
      workflowBundle: await bundleInterpreter(),
      activities,
    }),
    Worker.create({ connection, taskQueue: handQueue, workflowBundle: handBundle, activities }),
  ]);
  const running = workers.map((worker) => worker.run());

  interface Timed {
    ms: number;
    workflowTasks: number;
    workflowTaskMs: number;
  }
  const timed = async (workflowId: string, start: () => Promise<unknown>): Promise<Timed> => {
    const began = performance.now();
    await start();
    const ms = performance.now() - began;
    const { workflow } = await phases(client, workflowId);
    return { ms, workflowTasks: workflow.count, workflowTaskMs: workflow.totalMs };
  };
  const rows = [];
  for (const graph of [chain(50), fanOutIn(200), layered(10, 10)]) {
    const plan = planOf(graph, interpreterQueue);
    const input: RunInput = { plan, trigger: 'manual', startedBy: { id: 'bench', name: 'bench' } };
    const interpreted: Timed[] = [];
    const handWritten: Timed[] = [];
    // One warm-up of each, then alternate so both see the same server load.
    for (let run = 0; run <= runs; run++) {
      const idA = `bench-a-${randomUUID()}`;
      const a = await timed(idA, () =>
        client.workflow.execute(WORKFLOW_TYPE, {
          args: [input],
          taskQueue: interpreterQueue,
          workflowId: idA,
        }),
      );
      const idB = `bench-b-${randomUUID()}`;
      const b = await timed(idB, () =>
        client.workflow.execute(graph.handWritten.type, {
          args: graph.handWritten.args,
          taskQueue: handQueue,
          workflowId: idB,
        }),
      );
      if (run > 0) {
        interpreted.push(a);
        handWritten.push(b);
      }
    }
    const of = (list: Timed[], key: keyof Timed): number => median(list.map((run) => run[key]));
    const a = of(interpreted, 'ms');
    const b = of(handWritten, 'ms');
    rows.push({
      graph: graph.name,
      'interpreter ms': Math.round(a),
      'hand-written ms': Math.round(b),
      'ratio a/b': Number((a / b).toFixed(3)),
      'workflow tasks a · b': `${of(interpreted, 'workflowTasks')} · ${of(handWritten, 'workflowTasks')}`,
      'in workflow tasks ms a · b': `${Math.round(of(interpreted, 'workflowTaskMs'))} · ${Math.round(of(handWritten, 'workflowTaskMs'))}`,
    });
  }
  console.table(rows);
  for (const worker of workers) worker.shutdown();
  await Promise.all(running);
  await connection.close();
}

await main();
