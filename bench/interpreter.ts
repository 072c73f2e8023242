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
import { loadConfig } from '@batchgraph/engine';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { phases } from './history';
import { chain, fanOutIn, layered, median, startSides, type Side } from './temporal-sides';

const runs = Number(process.argv[2] ?? 5);
const config = loadConfig(process.env);
Runtime.install({ logger: new DefaultLogger('WARN') });

interface Timed {
  ms: number;
  workflowTasks: number;
  workflowTaskMs: number;
}

async function main(): Promise<void> {
  const sides = await startSides(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const timed = async (run: () => Promise<string>): Promise<Timed> => {
    const began = performance.now();
    const workflowId = await run();
    const ms = performance.now() - began;
    const { workflow } = await phases(sides.client, workflowId);
    return { ms, workflowTasks: workflow.count, workflowTaskMs: workflow.totalMs };
  };
  const rows = [];
  for (const graph of [chain(50), fanOutIn(200), layered(10, 10)]) {
    const results: Record<Side, Timed[]> = { interpreter: [], 'hand-written': [] };
    // One warm-up of each, then alternate so both see the same server load.
    for (let run = 0; run <= runs; run++) {
      for (const side of ['interpreter', 'hand-written'] as const) {
        const result = await timed(() => sides.run(graph, side));
        if (run > 0) results[side].push(result);
      }
    }
    const of = (side: Side, key: keyof Timed): number =>
      median(results[side].map((run) => run[key]));
    const a = of('interpreter', 'ms');
    const b = of('hand-written', 'ms');
    const both = (key: keyof Timed): string =>
      `${Math.round(of('interpreter', key))} · ${Math.round(of('hand-written', key))}`;
    rows.push({
      graph: graph.name,
      'interpreter ms': Math.round(a),
      'hand-written ms': Math.round(b),
      'ratio a/b': Number((a / b).toFixed(3)),
      'workflow tasks a · b': both('workflowTasks'),
      'in workflow tasks ms a · b': both('workflowTaskMs'),
    });
  }
  console.table(rows);
  await sides.close();
}

await main();
