/**
 * What the Temporal benchmarks run (bench/interpreter.ts, bench/peers.ts): graphs of no-op tasks,
 * each runnable (a) by the interpreter workflow and (b) by a hand-written workflow
 * (workflows/src/bench/workflows.ts) calling the same no-op activity in the same order and
 * parallelism, with one in-process worker for each side.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { compileJob, WORKFLOW_TYPE, type Plan, type RunInput } from '@batchgraph/engine';
import { bundleInterpreter, ignoreModules } from '@batchgraph/workflows';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';

export interface Graph {
  name: string;
  tasks: { id: string }[];
  edges: [string, string][];
  maxParallel: number;
  handWritten: { type: string; args: number[] };
}

export function chain(length: number): Graph {
  const ids = Array.from({ length }, (_, i) => `c${i}`);
  return {
    name: `chain of ${length}`,
    tasks: ids.map((id) => ({ id })),
    edges: ids.slice(1).map((id, i) => [ids[i]!, id]),
    maxParallel: 1,
    handWritten: { type: 'chain', args: [length] },
  };
}

export function fanOutIn(width: number): Graph {
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

export function layered(layers: number, width: number): Graph {
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

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export type Side = 'interpreter' | 'hand-written';

export interface Sides {
  client: Client;
  /** Runs the graph once on one side to its end; returns the workflow id. */
  run(graph: Graph, side: Side): Promise<string>;
  close(): Promise<void>;
}

export async function startSides(
  address: string,
  namespace: string,
  /** Run workflow code in this thread (the SDK's debug mode), e.g. to watch its promises. */
  options: { debugMode?: boolean } = {},
): Promise<Sides> {
  const suffix = randomUUID().slice(0, 8);
  const queues: Record<Side, string> = {
    interpreter: `bench-interpreter-${suffix}`,
    'hand-written': `bench-hand-${suffix}`,
  };
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }), namespace });
  const handBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../workflows/src/bench/workflows.ts', import.meta.url)),
    ignoreModules,
  });
  const workers = await Promise.all([
    Worker.create({
      connection,
      namespace,
      taskQueue: queues.interpreter,
      workflowBundle: await bundleInterpreter(),
      activities,
      ...options,
    }),
    Worker.create({
      connection,
      namespace,
      taskQueue: queues['hand-written'],
      workflowBundle: handBundle,
      activities,
      ...options,
    }),
  ]);
  const running = workers.map((worker) => worker.run());
  const inputs = new Map<Graph, RunInput>();
  return {
    client,
    async run(graph, side) {
      const workflowId = `bench-${side}-${randomUUID()}`;
      const taskQueue = queues[side];
      if (side === 'hand-written') {
        const { type, args } = graph.handWritten;
        await client.workflow.execute(type, { args, taskQueue, workflowId });
        return workflowId;
      }
      let input = inputs.get(graph);
      if (!input) {
        const plan = planOf(graph, taskQueue);
        input = { plan, trigger: 'manual', startedBy: { id: 'bench', name: 'bench' } };
        inputs.set(graph, input);
      }
      await client.workflow.execute(WORKFLOW_TYPE, { args: [input], taskQueue, workflowId });
      return workflowId;
    },
    async close() {
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
      await connection.close();
      await client.connection.close();
    },
  };
}
