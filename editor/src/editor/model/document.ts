/**
 * Pure edits of the job document, the editor's single source of truth. Every function returns a
 * new document and leaves untouched tasks and edges as the same objects, so the canvas can tell
 * cheaply what changed.
 */
import type { EdgeKind, JobInput, TaskType } from '@batchgraph/engine';

export type JobDoc = JobInput;
export type TaskDoc = JobDoc['tasks'][number];
export type EdgeDoc = NonNullable<JobDoc['edges']>[number];
export type Position = { x: number; y: number };

export function newJob(): JobDoc {
  return { formatVersion: 1, name: 'untitled-job', tasks: [], edges: [] };
}

export const edgesOf = (doc: JobDoc): EdgeDoc[] => doc.edges ?? [];

/** Starting params that show the user what to fill in (the engine flags what is still missing). */
export function defaultParams(type: TaskType): TaskDoc['params'] {
  switch (type) {
    case 'http':
      return { method: 'GET', url: 'https://' };
    case 'command':
      return { command: '', args: [] };
    case 'delay':
      return { seconds: 60 };
    case 'notify':
      return { email: [] };
    case 'subjob':
      return { jobId: '' };
    case 'foreach':
      return { items: [], task: { type: 'http', params: { method: 'POST', url: 'https://' } } };
  }
}

export function uniqueTaskId(doc: JobDoc, base: string): string {
  const taken = new Set(doc.tasks.map((task) => task.id));
  const stem = base.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 56) || 'task';
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function addTask(
  doc: JobDoc,
  type: TaskType,
  position: Position,
  id = uniqueTaskId(doc, type),
): { doc: JobDoc; id: string } {
  const task = { id, type, params: defaultParams(type), position } as TaskDoc;
  return { doc: { ...doc, tasks: [...doc.tasks, task] }, id };
}

export function updateTask(doc: JobDoc, id: string, update: (task: TaskDoc) => TaskDoc): JobDoc {
  return { ...doc, tasks: doc.tasks.map((task) => (task.id === id ? update(task) : task)) };
}

export function moveTasks(doc: JobDoc, moves: ReadonlyMap<string, Position>): JobDoc {
  return {
    ...doc,
    tasks: doc.tasks.map((task) => {
      const position = moves.get(task.id);
      return position
        ? { ...task, position: { x: Math.round(position.x), y: Math.round(position.y) } }
        : task;
    }),
  };
}

/** Renames a task and every edge that names it. */
export function renameTask(doc: JobDoc, from: string, to: string): JobDoc {
  return {
    ...doc,
    tasks: doc.tasks.map((task) => (task.id === from ? { ...task, id: to } : task)),
    edges: edgesOf(doc).map((edge) =>
      edge.from === from || edge.to === from
        ? {
            ...edge,
            from: edge.from === from ? to : edge.from,
            to: edge.to === from ? to : edge.to,
          }
        : edge,
    ),
  };
}

/** Deletes tasks (with their edges) and edges given by index. */
export function removeElements(
  doc: JobDoc,
  taskIds: ReadonlySet<string>,
  edgeIndexes: ReadonlySet<number>,
): JobDoc {
  return {
    ...doc,
    tasks: doc.tasks.filter((task) => !taskIds.has(task.id)),
    edges: edgesOf(doc).filter(
      (edge, index) => !edgeIndexes.has(index) && !taskIds.has(edge.from) && !taskIds.has(edge.to),
    ),
  };
}

export function addEdge(doc: JobDoc, from: string, to: string, on: EdgeKind): JobDoc {
  const exists = edgesOf(doc).some((edge) => edge.from === from && edge.to === to);
  return exists ? doc : { ...doc, edges: [...edgesOf(doc), { from, to, on }] };
}

export function setEdgeKind(doc: JobDoc, index: number, on: EdgeKind): JobDoc {
  return {
    ...doc,
    edges: edgesOf(doc).map((edge, i) => (i === index ? { ...edge, on } : edge)),
  };
}

/** What copy puts on the clipboard: tasks and the edges among them. */
export interface Fragment {
  tasks: TaskDoc[];
  edges: EdgeDoc[];
}

export function copyFragment(doc: JobDoc, taskIds: ReadonlySet<string>): Fragment {
  return {
    tasks: doc.tasks.filter((task) => taskIds.has(task.id)),
    edges: edgesOf(doc).filter((edge) => taskIds.has(edge.from) && taskIds.has(edge.to)),
  };
}

/** Pastes a fragment with fresh ids, offset so the copies do not hide the originals. */
export function pasteFragment(
  doc: JobDoc,
  fragment: Fragment,
  offset: Position,
): { doc: JobDoc; ids: string[] } {
  let next = doc;
  const renamed = new Map<string, string>();
  for (const task of fragment.tasks) {
    const id = uniqueTaskId(next, task.id);
    renamed.set(task.id, id);
    const position = task.position ?? { x: 0, y: 0 };
    const copy = { ...task, id, position: { x: position.x + offset.x, y: position.y + offset.y } };
    next = { ...next, tasks: [...next.tasks, copy] };
  }
  const edges = fragment.edges.map((edge) => ({
    ...edge,
    from: renamed.get(edge.from) ?? edge.from,
    to: renamed.get(edge.to) ?? edge.to,
  }));
  return { doc: { ...next, edges: [...edgesOf(next), ...edges] }, ids: [...renamed.values()] };
}

/** Sets a value at a path inside a plain JSON value; undefined deletes the key. */
export function setIn(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return next;
  if (typeof head === 'number') {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[head] = setIn(list[head], rest, next);
    return list;
  }
  const record: Record<string, unknown> =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const inner = setIn(record[head], rest, next);
  if (inner !== undefined) return { ...record, [head]: inner };
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== head));
}

export function getIn(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
