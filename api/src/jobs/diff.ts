/**
 * What changed between two versions of a job, for the audit log: tasks added, removed and
 * changed (with the fields that changed), edges added and removed, and other top-level fields.
 */
import { isDeepStrictEqual } from 'node:util';
import type { JobInput } from '@batchgraph/engine';

export interface EdgeRef {
  from: string;
  to: string;
  on: string;
}

export interface JobDiff {
  tasksAdded: string[];
  tasksRemoved: string[];
  tasksChanged: { id: string; fields: string[] }[];
  edgesAdded: EdgeRef[];
  edgesRemoved: EdgeRef[];
  fieldsChanged: string[];
}

type TaskInput = JobInput['tasks'][number];

const edgeKey = (edge: EdgeRef): string => `${edge.from}\0${edge.to}\0${edge.on}`;

function changedKeys(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter(
      (key) =>
        !isDeepStrictEqual(
          (before as Record<string, unknown>)[key],
          (after as Record<string, unknown>)[key],
        ),
    )
    .sort();
}

export function diffJobs(before: JobInput, after: JobInput): JobDiff {
  const oldTasks = new Map<string, TaskInput>(before.tasks.map((task) => [task.id, task]));
  const newTasks = new Map<string, TaskInput>(after.tasks.map((task) => [task.id, task]));
  const oldEdges = new Map((before.edges ?? []).map((edge) => [edgeKey(edge), edge]));
  const newEdges = new Map((after.edges ?? []).map((edge) => [edgeKey(edge), edge]));
  const { tasks: _t1, edges: _e1, ...oldRest } = before;
  const { tasks: _t2, edges: _e2, ...newRest } = after;
  return {
    tasksAdded: [...newTasks.keys()].filter((id) => !oldTasks.has(id)),
    tasksRemoved: [...oldTasks.keys()].filter((id) => !newTasks.has(id)),
    tasksChanged: [...newTasks]
      .filter(([id]) => oldTasks.has(id))
      .map(([id, task]) => ({ id, fields: changedKeys(oldTasks.get(id)!, task) }))
      .filter((change) => change.fields.length > 0),
    edgesAdded: [...newEdges].filter(([key]) => !oldEdges.has(key)).map(([, e]) => pickEdge(e)),
    edgesRemoved: [...oldEdges].filter(([key]) => !newEdges.has(key)).map(([, e]) => pickEdge(e)),
    fieldsChanged: changedKeys(oldRest, newRest),
  };
}

function pickEdge(edge: EdgeRef): EdgeRef {
  return { from: edge.from, to: edge.to, on: edge.on };
}
