/**
 * Engine benchmark: a seeded random layered DAG of 10,000 tasks and 20,000 edges, timed through
 * validate + compile and through simulate. Run with `npx tsx bench/engine.ts` (or
 * `npm run bench:engine`). Goals on the development machine: validate + compile under 20 ms,
 * simulate under 50 ms (medians).
 */
import { compileJob, simulate, type JobInput, type Plan } from '@batchgraph/engine';

const TASKS = 10_000;
const EDGES = 20_000;
const LAYERS = 100;
const WARMUP = 5;
const ITERATIONS = 25;
const GOALS_MS = { 'validate + compile': 20, simulate: 50 } as const;

/** mulberry32: a tiny seeded PRNG, so every run measures the same job. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Tasks in layers; every edge goes from one layer to a later one, so the graph is acyclic. */
function layeredJob(seed: number): JobInput {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const perLayer = TASKS / LAYERS;
  const layerOf = (task: number) => Math.floor(task / perLayer);
  const id = (task: number) => `t${task}`;
  const parents = new Map<number, number[]>();
  const joinAny = Array.from({ length: TASKS }, () => next() < 0.2);
  const edges: NonNullable<JobInput['edges']> = [];
  const seen = new Set<string>();
  while (edges.length < EDGES) {
    const to = perLayer + pick(TASKS - perLayer);
    const layer = layerOf(to);
    const fromLayer = Math.max(0, layer - 1 - (next() < 0.2 ? pick(Math.min(layer, 5)) : 0));
    const from = fromLayer * perLayer + pick(perLayer);
    const key = `${from}>${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ from: id(from), to: id(to), on: next() < 0.9 ? 'success' : 'always' });
    parents.set(to, [...(parents.get(to) ?? []), from]);
  }
  // A failure edge only as a join-any task's extra way in, so a healthy run still reaches most of
  // the graph instead of skipping everything behind the first unused failure branch.
  const failureEdgeInto = new Set<string>();
  for (const edge of edges) {
    const to = Number(edge.to.slice(1));
    const extraWayIn = joinAny[to] && (parents.get(to)?.length ?? 0) >= 2;
    if (extraWayIn && !failureEdgeInto.has(edge.to) && next() < 0.5) {
      edge.on = 'failure';
      failureEdgeInto.add(edge.to);
    }
  }
  const tasks: JobInput['tasks'] = Array.from({ length: TASKS }, (_, task) => {
    const common = {
      id: id(task),
      retries: pick(3),
      ...(joinAny[task] ? { join: 'any' as const } : {}),
    };
    const parent = parents.get(task)?.[0];
    if (task % 10 === 0 && parent !== undefined) {
      return {
        ...common,
        type: 'http' as const,
        params: {
          method: 'POST' as const,
          url: `https://api.example/items/{{ tasks.${id(parent)}.output.body.id }}`,
          headers: { 'X-Run': '{{ run.id }}' },
          body: { task: id(task), page: task },
        },
      };
    }
    if (task % 10 === 5) {
      return {
        ...common,
        type: 'command' as const,
        params: { command: 'true', args: ['--task', id(task)] },
      };
    }
    return { ...common, type: 'delay' as const, params: { seconds: 0 } };
  });
  return {
    formatVersion: 1,
    name: 'bench-layered-dag',
    tasks,
    edges,
    settings: { maxParallel: 50 },
  };
}

interface Measurement {
  name: keyof typeof GOALS_MS;
  times: number[];
  /** CPU time of the process (all threads, so garbage collection included). */
  cpuTimes: number[];
  heapDelta: number;
  rssPeak: number;
}

function measure(name: keyof typeof GOALS_MS, work: () => unknown): Measurement {
  for (let i = 0; i < WARMUP; i++) work();
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  let rssPeak = 0;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    work();
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    const memory = process.memoryUsage();
    heapPeak = Math.max(heapPeak, memory.heapUsed);
    rssPeak = Math.max(rssPeak, memory.rss);
  }
  return { name, times, cpuTimes, heapDelta: heapPeak - heapBefore, rssPeak };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function main(): void {
  // Through JSON, as the API and the CLI receive a job: objects built with spreads have shapes
  // that make every parser several times slower, which would measure the generator, not the engine.
  const job = JSON.parse(JSON.stringify(layeredJob(42))) as JobInput;
  const compiled = compileJob(job);
  if (!compiled.ok) {
    console.error(JSON.stringify(compiled.errors.slice(0, 5), null, 2));
    throw new Error('the benchmark job does not validate');
  }
  const plan: Plan = compiled.plan;
  // Every 97th task with retries fails its first attempt and recovers, so retries are exercised.
  const failures = Object.fromEntries(
    plan.tasks
      .filter((task, index) => index % 97 === 0 && task.retry.maximumAttempts > 1)
      .map((task) => [task.id, 1]),
  );
  const run = simulate(plan, failures);
  const results = [
    measure('validate + compile', () => compileJob(job)),
    measure('simulate', () => simulate(plan, failures)),
  ];
  console.log(
    `engine benchmark: ${plan.tasks.length} tasks, ${plan.edges.length} edges, ` +
      `maxParallel ${plan.maxParallel}; simulated outcome ${run.outcome}, ` +
      `${run.order.length} tasks started; ${ITERATIONS} iterations after ${WARMUP} warm-up`,
  );
  console.table(
    results.map(({ name, times, cpuTimes, heapDelta, rssPeak }) => ({
      step: name,
      'median ms': Number(median(times).toFixed(2)),
      'median cpu ms': Number(median(cpuTimes).toFixed(2)),
      'min ms': Number(Math.min(...times).toFixed(2)),
      'max ms': Number(Math.max(...times).toFixed(2)),
      'goal ms': GOALS_MS[name],
      met: median(times) < GOALS_MS[name] ? 'yes' : 'NO',
      'heap Δ peak': mib(heapDelta),
      'rss peak': mib(rssPeak),
    })),
  );
}

main();
