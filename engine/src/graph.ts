/**
 * Checks of the task graph that a schema cannot express: unique ids, edges between known tasks,
 * no self-loops, duplicates or cycles, and warnings for tasks that can never run. It reads the raw
 * document leniently, so it reports graph problems even when other parts of the job are malformed.
 */
import { field, jsonPath, type Problem } from './problems';

interface RawEdge {
  index: number;
  from: number;
  to: number;
  on: unknown;
}

export interface GraphReport {
  errors: Problem[];
  warnings: Problem[];
}

export function graphProblems(job: unknown): GraphReport {
  const tasks = field(job, 'tasks');
  const edges = field(job, 'edges');
  const errors: Problem[] = [];
  if (!Array.isArray(tasks)) return { errors, warnings: [] };
  if (tasks.length === 0) {
    errors.push({
      path: '$.tasks',
      code: 'no_tasks',
      message: 'The job has no tasks; add at least one.',
    });
    return { errors, warnings: [] };
  }
  const ids = tasks.map((task) => field(task, 'id'));
  const indexOf = indexTaskIds(ids, errors);
  const rawEdges = Array.isArray(edges) ? readEdges(edges, indexOf, errors) : [];
  errors.push(...cycleProblems(ids, rawEdges));
  const warnings = errors.length === 0 ? neverRunWarnings(tasks, ids, rawEdges) : [];
  return { errors, warnings };
}

function indexTaskIds(ids: unknown[], errors: Problem[]): Map<string, number> {
  const indexOf = new Map<string, number>();
  ids.forEach((id, index) => {
    if (typeof id !== 'string') return;
    const first = indexOf.get(id);
    if (first === undefined) {
      indexOf.set(id, index);
      return;
    }
    errors.push({
      path: jsonPath(['tasks', index, 'id']),
      code: 'duplicate_task_id',
      message: `Task ${index + 1} uses the id '${id}', which task ${first + 1} already has; ids must be unique.`,
    });
  });
  return indexOf;
}

function readEdges(edges: unknown[], indexOf: Map<string, number>, errors: Problem[]): RawEdge[] {
  const seen = new Map<string, number>();
  const valid: RawEdge[] = [];
  edges.forEach((edge, index) => {
    const from = field(edge, 'from');
    const to = field(edge, 'to');
    const on = field(edge, 'on');
    const label = `Edge ${index + 1}`;
    let known = typeof from === 'string' && typeof to === 'string';
    for (const [end, id] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (typeof id === 'string' && !indexOf.has(id)) {
        known = false;
        errors.push({
          path: jsonPath(['edges', index, end]),
          code: 'unknown_task',
          message: `${label} ${end === 'from' ? 'starts at' : 'points to'} task '${id}', which does not exist.`,
        });
      }
    }
    if (!known) return;
    if (from === to) {
      errors.push({
        path: jsonPath(['edges', index]),
        code: 'self_loop',
        message: `${label} goes from task '${String(from)}' back to itself; a task cannot depend on itself.`,
      });
      return;
    }
    const key = JSON.stringify([from, to, on]);
    const twin = seen.get(key);
    if (twin !== undefined) {
      errors.push({
        path: jsonPath(['edges', index]),
        code: 'duplicate_edge',
        message: `${label} (${String(from)} → ${String(to)}, on ${String(on)}) repeats edge ${twin + 1}.`,
      });
      return;
    }
    seen.set(key, index);
    valid.push({ index, from: indexOf.get(from as string)!, to: indexOf.get(to as string)!, on });
  });
  return valid;
}

/** One problem per edge that closes a cycle, naming the tasks around it. */
function cycleProblems(ids: unknown[], edges: RawEdge[]): Problem[] {
  const outgoing = ids.map((): RawEdge[] => []);
  for (const edge of edges) outgoing[edge.from]!.push(edge);
  const color = new Uint8Array(ids.length); // 0 unvisited, 1 on the stack, 2 done
  const problems: Problem[] = [];
  for (let root = 0; root < ids.length; root++) {
    if (color[root] !== 0) continue;
    const stack: { task: number; next: number; via?: RawEdge }[] = [{ task: root, next: 0 }];
    color[root] = 1;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const edge = outgoing[frame.task]![frame.next++];
      if (edge === undefined) {
        color[frame.task] = 2;
        stack.pop();
      } else if (color[edge.to] === 0) {
        color[edge.to] = 1;
        stack.push({ task: edge.to, next: 0, via: edge });
      } else if (color[edge.to] === 1) {
        const start = stack.findIndex((f) => f.task === edge.to);
        const names = [...stack.slice(start).map((f) => f.task), edge.to].map(
          (t) => `'${String(ids[t])}'`,
        );
        problems.push({
          path: jsonPath(['edges', edge.index]),
          code: 'cycle',
          message: `Edge ${edge.index + 1} closes a cycle: tasks ${names.join(' → ')}; a job cannot loop back on itself.`,
        });
      }
    }
  }
  return problems;
}

/**
 * Tasks that are skipped in every run, whatever succeeds or fails: a join-all task that needs one
 * parent both to succeed and to fail, or whose parents can never run themselves.
 */
function neverRunWarnings(tasks: unknown[], ids: unknown[], edges: RawEdge[]): Problem[] {
  const incoming = ids.map((): RawEdge[] => []);
  for (const edge of edges) incoming[edge.to]!.push(edge);
  const canRun = new Array<boolean>(ids.length);
  const warnings: Problem[] = [];
  for (const task of topologicalOrder(ids.length, edges)) {
    const inEdges = incoming[task]!;
    const joinAny = field(tasks[task], 'join') === 'any';
    const reason = joinAny
      ? anyJoinBlocker(inEdges, canRun, ids)
      : allJoinBlocker(inEdges, canRun, ids);
    canRun[task] = reason === undefined;
    if (reason !== undefined) {
      warnings.push({
        path: jsonPath(['tasks', task]),
        code: 'never_runs',
        message: `Task '${String(ids[task])}' can never run: ${reason}.`,
      });
    }
  }
  return warnings;
}

function allJoinBlocker(edges: RawEdge[], canRun: boolean[], ids: unknown[]): string | undefined {
  const kindsBySource = new Map<number, Set<unknown>>();
  for (const edge of edges) {
    if (!canRun[edge.from]) return `task '${String(ids[edge.from])}' before it never runs`;
    const kinds = kindsBySource.get(edge.from) ?? new Set();
    kinds.add(edge.on);
    kindsBySource.set(edge.from, kinds);
  }
  for (const [source, kinds] of kindsBySource) {
    if (kinds.has('success') && kinds.has('failure')) {
      return `it waits (join all) for task '${String(ids[source])}' to both succeed and fail`;
    }
  }
  return undefined;
}

function anyJoinBlocker(edges: RawEdge[], canRun: boolean[], ids: unknown[]): string | undefined {
  if (edges.length === 0 || edges.some((edge) => canRun[edge.from])) return undefined;
  return `none of the tasks before it (${edges.map((e) => `'${String(ids[e.from])}'`).join(', ')}) ever runs`;
}

/** Kahn's algorithm, ties in file order; the graph must be acyclic. */
export function topologicalOrder(
  size: number,
  edges: readonly { from: number; to: number }[],
): number[] {
  const indegree = new Uint32Array(size);
  const outgoing: number[][] = Array.from({ length: size }, () => []);
  for (const { from, to } of edges) {
    indegree[to]! += 1;
    outgoing[from]!.push(to);
  }
  const order: number[] = [];
  for (let task = 0; task < size; task++) if (indegree[task] === 0) order.push(task);
  for (let head = 0; head < order.length; head++) {
    for (const next of outgoing[order[head]!]!) {
      indegree[next]! -= 1;
      if (indegree[next] === 0) order.push(next);
    }
  }
  return order;
}
