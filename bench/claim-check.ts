/**
 * What the claim-check costs per task: the same chain of 50 http tasks (each templating its URL
 * from the previous task's output) run by the same interpreter bundle, side by side on the local
 * dev server, with the real http activity against a local HTTP server, on two queues:
 *
 * - inline: the activity returns its output itself (what every run did before the claim-check);
 * - claim-check: the activity returns a StoredOutput (what runs do now): small outputs (here
 *   ~60 bytes) whole as their own summary, bigger ones (the 8 KB row) stored in MongoDB's
 *   `task_outputs` with a reference and a summary.
 *
 * Prints the median wall time of each and the ratio claim-check / inline, per output size.
 *
 *   npx tsx bench/claim-check.ts [runs=5]      (needs TEMPORAL_ADDRESS and MONGODB_URI)
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileJob, loadConfig, WORKFLOW_TYPE, type RunInput } from '@batchgraph/engine';
import { createActivities, type Activities } from '@batchgraph/activities';
import { bundleInterpreter } from '@batchgraph/workflows';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { MongoClient } from 'mongodb';

const runs = Number(process.argv[2] ?? 5);
const length = 50;
const config = loadConfig({
  ...process.env,
  BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1',
  MONGODB_DB: `bench_claim_check_${randomUUID().slice(0, 8)}`,
});
Runtime.install({ logger: new DefaultLogger('WARN') });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    const pad = 'x'.repeat(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('pad')));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ n: 1, pad }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mongo = await new MongoClient(config.MONGODB_URI).connect();
  const db = mongo.db(config.MONGODB_DB);
  const real = createActivities({ config, db });
  // The same activity, asked as a workflow from before the claim-check would ask it.
  const inline: Activities = {
    ...real,
    http: ((input) => real.http({ ...input, summaryBytes: undefined })) as Activities['http'],
  };

  const suffix = randomUUID().slice(0, 8);
  const queues = { inline: `bench-inline-${suffix}`, claim: `bench-claim-${suffix}` };
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({
    connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const workflowBundle = await bundleInterpreter();
  const workers = await Promise.all([
    Worker.create({ connection, taskQueue: queues.inline, workflowBundle, activities: inline }),
    Worker.create({ connection, taskQueue: queues.claim, workflowBundle, activities: real }),
  ]);
  const running = workers.map((worker) => worker.run());

  const inputFor = (taskQueue: string, pad: number): RunInput => {
    const ids = Array.from({ length }, (_, i) => `c${i}`);
    const compiled = compileJob(
      {
        formatVersion: 1,
        name: 'bench-claim-check',
        tasks: ids.map((id, i) => ({
          id,
          type: 'http',
          params: {
            method: 'GET',
            url:
              i === 0
                ? `${origin}/c0?pad=${pad}`
                : `${origin}/${id}/{{ tasks.c${i - 1}.output.body.n }}?pad=${pad}`,
          },
        })),
        edges: ids.slice(1).map((id, i) => ({ from: ids[i]!, to: id, on: 'success' })),
      },
      { taskQueue },
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    return { plan: compiled.plan, trigger: 'manual', startedBy: { id: 'bench', name: 'bench' } };
  };
  const timed = async (taskQueue: string, pad: number): Promise<number> => {
    const began = performance.now();
    await client.workflow.execute(WORKFLOW_TYPE, {
      args: [inputFor(taskQueue, pad)],
      taskQueue,
      workflowId: `bench-${randomUUID()}`,
    });
    return performance.now() - began;
  };
  const rows = [];
  for (const pad of [0, 8192]) {
    const times = { inline: [] as number[], claim: [] as number[] };
    // One warm-up of each, then alternate so both see the same server load.
    for (let run = 0; run <= runs; run++) {
      const a = await timed(queues.inline, pad);
      const b = await timed(queues.claim, pad);
      if (run > 0) {
        times.inline.push(a);
        times.claim.push(b);
      }
    }
    const a = median(times.inline);
    const b = median(times.claim);
    rows.push({
      graph: `chain of ${length}, ${pad === 0 ? 'small outputs' : '8 KB outputs (stored)'}`,
      'inline ms': Math.round(a),
      'claim-check ms': Math.round(b),
      'per task, inline ms': Number((a / length).toFixed(1)),
      'per task, claim-check ms': Number((b / length).toFixed(1)),
      'ratio claim-check/inline': Number((b / a).toFixed(3)),
    });
  }
  console.table(rows);
  for (const worker of workers) worker.shutdown();
  await Promise.all(running);
  await connection.close();
  await db.dropDatabase();
  await mongo.close();
  server.close();
}

await main();
