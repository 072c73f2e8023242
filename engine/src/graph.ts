/**
 * Checks of the task graph that a schema cannot express: unique ids, edges between known tasks,
 * no self-loops, duplicates or cycles, and warnings for tasks that can never run. It reads the raw
 * document leniently, so it reports graph problems even when other parts of the job are malformed.
 */
import { field, jsonPath, type Problem } from './problems';
import { edgeKinds, type EdgeKind } from './schema';

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
  const order = topologicalOrder(ids.length, rawEdges);
  // Kahn's order leaves out every task on or behind a cycle; only then is the slower search run.
  if (order.length < ids.length) errors.push(...cycleProblems(ids, rawEdges));
  const warnings = errors.length === 0 ? neverRunWarnings(tasks, ids, rawEdges, order) : [];
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
  const seen = new Map<number | string, number>();
  const valid: RawEdge[] = [];
  edges.forEach((edge, index) => {
    const from = field(edge, 'from');
    const to = field(edge, 'to');
    const on = field(edge, 'on');
    const fromIndex = typeof from === 'string' ? indexOf.get(from) : undefined;
    const toIndex = typeof to === 'string' ? indexOf.get(to) : undefined;
    if (typeof from === 'string' && fromIndex === undefined) {
      errors.push(unknownEndProblem(index, 'from', from));
    }
    if (typeof to === 'string' && toIndex === undefined) {
      errors.push(unknownEndProblem(index, 'to', to));
    }
    if (fromIndex === undefined || toIndex === undefined) return;
    const label = `Edge ${index + 1}`;
    if (fromIndex === toIndex) {
      errors.push({
        path: jsonPath(['edges', index]),
        code: 'self_loop',
        message: `${label} goes from task '${String(from)}' back to itself; a task cannot depend on itself.`,
      });
      return;
    }
    const key = edgeKey(fromIndex, toIndex, on, indexOf.size);
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
    valid.push({ index, from: fromIndex, to: toIndex, on });
  });
  return valid;
}

/** A number for the usual edge kinds (cheap to hash); a string keeps odd `on` values apart. */
function edgeKey(from: number, to: number, on: unknown, size: number): number | string {
  const kind = edgeKinds.indexOf(on as EdgeKind);
  return kind >= 0
    ? (from * size + to) * edgeKinds.length + kind
    : `${from}>${to}>${typeof on}:${String(on)}`;
}

function unknownEndProblem(index: number, end: 'from' | 'to', id: string): Problem {
  return {
    path: jsonPath(['edges', index, end]),
    code: 'unknown_task',
    message: `Edge ${index + 1} ${end === 'from' ? 'starts at' : 'points to'} task '${id}', which does not exist.`,
  };
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

const SUCCESS_EDGE = 1;
const FAILURE_EDGE = 2;
const BOTH_EDGES = SUCCESS_EDGE | FAILURE_EDGE;

/**
 * Tasks that are skipped in every run, whatever succeeds or fails: a join-all task that needs one
 * parent both to succeed and to fail, or whose parents can never run themselves.
 */
function neverRunWarnings(
  tasks: unknown[],
  ids: unknown[],
  edges: RawEdge[],
  order: number[],
): Problem[] {
  const incoming = ids.map((): RawEdge[] => []);
  for (const edge of edges) incoming[edge.to]!.push(edge);
  const canRun = new Array<boolean>(ids.length);
  // Per source, the kinds of edge seen into the task being looked at (stamped with that task).
  const kinds = new Uint8Array(ids.length);
  const stamp = new Int32Array(ids.length).fill(-1);
  const warnings: Problem[] = [];
  for (const task of order) {
    const inEdges = incoming[task]!;
    const joinAny = field(tasks[task], 'join') === 'any';
    const reason = joinAny
      ? anyJoinBlocker(inEdges, canRun, ids)
      : allJoinBlocker(task, inEdges, canRun, ids, kinds, stamp);
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

function allJoinBlocker(
  task: number,
  edges: RawEdge[],
  canRun: boolean[],
  ids: unknown[],
  kinds: Uint8Array,
  stamp: Int32Array,
): string | undefined {
  let conflict = false;
  for (const edge of edges) {
    if (!canRun[edge.from]) return `task '${String(ids[edge.from])}' before it never runs`;
    if (stamp[edge.from] !== task) {
      stamp[edge.from] = task;
      kinds[edge.from] = 0;
    }
    kinds[edge.from]! |=
      edge.on === 'success' ? SUCCESS_EDGE : edge.on === 'failure' ? FAILURE_EDGE : 0;
    conflict ||= kinds[edge.from] === BOTH_EDGES;
  }
  if (!conflict) return undefined;
  const source = edges.find((edge) => kinds[edge.from] === BOTH_EDGES)!.from;
  return `it waits (join all) for task '${String(ids[source])}' to both succeed and fail`;
}

function anyJoinBlocker(edges: RawEdge[], canRun: boolean[], ids: unknown[]): string | undefined {
  if (edges.length === 0 || edges.some((edge) => canRun[edge.from])) return undefined;
  return `none of the tasks before it (${edges.map((e) => `'${String(ids[e.from])}'`).join(', ')}) ever runs`;
}

/** Kahn's algorithm, ties in file order; on a cyclic graph it leaves out the tasks on or behind cycles. */
export function topologicalOrder(
  size: number,
  edges: readonly { from: number; to: number }[],
): number[] {
  const indegree = new Uint32Array(size);
  const start = new Uint32Array(size + 1);
  for (const { from, to } of edges) {
    indegree[to]! += 1;
    start[from + 1]! += 1;
  }
  for (let task = 0; task < size; task++) start[task + 1]! += start[task]!;
  const fill = start.slice(0, size);
  const targets = new Uint32Array(edges.length);
  for (const { from, to } of edges) targets[fill[from]!++] = to;
  const order: number[] = [];
  for (let task = 0; task < size; task++) if (indegree[task] === 0) order.push(task);
  for (let head = 0; head < order.length; head++) {
    const task = order[head]!;
    for (let at = start[task]!; at < start[task + 1]!; at++) {
      const next = targets[at]!;
      indegree[next]! -= 1;
      if (indegree[next] === 0) order.push(next);
    }
  }
  return order;
}
