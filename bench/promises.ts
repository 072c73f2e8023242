/**
 * Promises that workflow code creates per task, interpreter vs hand-written workflow
 * (bench/temporal-sides.ts), on each graph of bench/interpreter.ts. The TypeScript SDK records a
 * source-mapped stack trace of every such promise (its promise hook, for the `__stack_trace`
 * query); a CPU profile showed that to be most of the interpreter's time in a workflow task
 * (README.md, Performance). Unlike wall time, this count does not depend on the machine's load.
 *
 *   npx tsx bench/promises.ts
 *
 * The workers run workflow code in this thread (debug mode) so that a promise hook here sees it;
 * a promise belongs to workflow code when its constructor is not this realm's Promise.
 */
import { promiseHooks } from 'node:v8';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { batchgraphFlags, startDevServer } from './dev-server';
import { chain, fanOutIn, layered, startSides, type Side } from './temporal-sides';

Runtime.install({ logger: new DefaultLogger('WARN') });

let counted = 0;
const stopHook = promiseHooks.onInit((promise) => {
  if (promise.constructor !== Promise) counted += 1;
});

async function main(): Promise<void> {
  const server = await startDevServer(batchgraphFlags);
  const sides = await startSides(server.address, 'default', { debugMode: true });
  const rows = [];
  try {
    for (const graph of [chain(50), fanOutIn(200), layered(10, 10)]) {
      const perTask: Record<Side, number> = { interpreter: 0, 'hand-written': 0 };
      for (const side of ['interpreter', 'hand-written'] as const) {
        await sides.run(graph, side); // warm-up: the first run also loads the bundle
        counted = 0;
        await sides.run(graph, side);
        perTask[side] = counted / graph.tasks.length;
      }
      rows.push({
        graph: graph.name,
        'interpreter promises/task': Number(perTask.interpreter.toFixed(2)),
        'hand-written promises/task': Number(perTask['hand-written'].toFixed(2)),
        ratio: Number((perTask.interpreter / perTask['hand-written']).toFixed(2)),
      });
    }
  } finally {
    stopHook();
    await sides.close();
    server.stop();
  }
  console.table(rows);
}

await main();
