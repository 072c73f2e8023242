/** What changed between two versions of a job, for highlighting on the canvas. */
import { edgesOf, type JobDoc } from './document';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface JobDiff {
  tasks: Map<string, ChangeKind>;
  /** Edges keyed `from→to`. */
  edges: Map<string, ChangeKind>;
  /** Tasks only the old version has, to draw as ghosts. */
  removedTasks: JobDoc['tasks'];
}

export const edgeKey = (edge: { from: string; to: string }) => `${edge.from}→${edge.to}`;

/** Ignores positions: moving a task is not a change of the job. */
function sameTask(a: JobDoc['tasks'][number], b: JobDoc['tasks'][number]): boolean {
  const { position: _a, ...restA } = a;
  const { position: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** Changes that turn `base` into `next`. */
export function diffJobs(base: JobDoc, next: JobDoc): JobDiff {
  const tasks = new Map<string, ChangeKind>();
  const baseTasks = new Map(base.tasks.map((task) => [task.id, task]));
  const nextIds = new Set(next.tasks.map((task) => task.id));
  for (const task of next.tasks) {
    const old = baseTasks.get(task.id);
    if (!old) tasks.set(task.id, 'added');
    else if (!sameTask(old, task)) tasks.set(task.id, 'changed');
  }
  const removedTasks = base.tasks.filter((task) => !nextIds.has(task.id));
  for (const task of removedTasks) tasks.set(task.id, 'removed');

  const edges = new Map<string, ChangeKind>();
  const baseEdges = new Map(edgesOf(base).map((edge) => [edgeKey(edge), edge]));
  const nextEdges = new Map(edgesOf(next).map((edge) => [edgeKey(edge), edge]));
  for (const [key, edge] of nextEdges) {
    const old = baseEdges.get(key);
    if (!old) edges.set(key, 'added');
    else if (old.on !== edge.on) edges.set(key, 'changed');
  }
  for (const key of baseEdges.keys()) if (!nextEdges.has(key)) edges.set(key, 'removed');
  return { tasks, edges, removedTasks };
}
