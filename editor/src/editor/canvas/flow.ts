/**
 * Derives React Flow nodes and edges from the job document. Node and edge objects are cached per
 * document object, so an edit re-creates only what it touched and React Flow (and the memoized
 * node components) skip the rest — what keeps a 1,000-task job smooth.
 */
import type { Edge, Node } from '@xyflow/react';
import type { FailureHandling, TaskState } from '@batchgraph/engine';
import { edgeKey, type ChangeKind, type JobDiff } from '../model/diff';
import { edgesOf, type EdgeDoc, type JobDoc, type TaskDoc } from '../model/document';
import type { ProblemIndex, Severity } from '../model/problems';
import { edgeMarker } from './edgeStyle';
import { NODE_HANDLES, NODE_HEIGHT, NODE_SIZE, NODE_WIDTH } from './geometry';

export interface RunOverlay {
  state: TaskState;
  /** For a failed task: whether its failure was handled by an edge, ignored, or failed the run. */
  failure?: FailureHandling;
  attempts: number;
  durationMs?: number;
  progress?: { done: number; total: number };
  reused?: boolean;
}

export type TaskNodeData = {
  task: TaskDoc;
  index: number;
  severity?: Severity;
  change?: ChangeKind;
  run?: RunOverlay;
};
export type MissingNodeData = { id: string };
export type TaskFlowNode = Node<TaskNodeData, 'task'>;
export type MissingFlowNode = Node<MissingNodeData, 'missing'>;
export type FlowNode = TaskFlowNode | MissingFlowNode;

export type KindEdgeData = {
  kind: string;
  index: number;
  severity?: Severity;
  change?: ChangeKind;
  editable: boolean;
};
export type KindFlowEdge = Edge<KindEdgeData, 'kind'>;

export interface FlowOptions {
  selectedTasks: ReadonlySet<string>;
  selectedEdges: ReadonlySet<number>;
  problems: ProblemIndex;
  editable: boolean;
  diff?: JobDiff;
  /** The compared version's document, whose removed edges are drawn as ghosts. */
  base?: JobDoc;
  run?: Record<string, RunOverlay>;
  /** Drawn by the overview instead: React Flow keeps the nodes (for fitting) but renders none. */
  overview?: boolean;
}

export const edgeIdOf = (index: number) => `e${index}`;
export const edgeIndexOf = (id: string): number | undefined =>
  /^e\d+$/.test(id) ? Number(id.slice(1)) : undefined;

interface Cached<T> {
  key: string;
  value: T;
}
const nodeCache = new WeakMap<TaskDoc, Cached<TaskFlowNode>>();
const edgeCache = new WeakMap<EdgeDoc, Cached<KindFlowEdge>>();

function cached<K extends object, T>(
  cache: WeakMap<K, Cached<T>>,
  owner: K,
  key: string,
  make: () => T,
): T {
  const hit = cache.get(owner);
  if (hit?.key === key) return hit.value;
  const value = make();
  cache.set(owner, { key, value });
  return value;
}

function overlayKey(run: RunOverlay | undefined): string {
  if (!run) return '';
  return `${run.state}/${run.attempts}/${run.durationMs === undefined ? '' : Math.floor(run.durationMs / 1000)}/${run.progress?.done ?? ''}/${run.progress?.total ?? ''}/${run.reused ?? ''}`;
}

export function taskNodes(doc: JobDoc, options: FlowOptions): FlowNode[] {
  const seen = new Set<string>();
  const nodes: FlowNode[] = doc.tasks.map((task, index) => {
    // A duplicate id is an error the engine reports; the canvas still needs distinct node ids.
    const id = seen.has(task.id) ? `duplicate:${index}` : task.id;
    seen.add(task.id);
    const selected = options.selectedTasks.has(task.id);
    const severity = options.problems.tasks.get(index);
    const change = options.diff?.tasks.get(task.id);
    const run = options.run?.[task.id];
    const position = task.position ?? { x: index * (NODE_WIDTH + 60), y: 0 };
    const hidden = options.overview ?? false;
    const key = `${id}|${index}|${selected}|${severity ?? ''}|${change ?? ''}|${options.editable}|${hidden}|${overlayKey(run)}`;
    return cached(nodeCache, task, key, () => ({
      id,
      type: 'task' as const,
      position,
      data: { task, index, severity, change, run },
      ariaLabel: `${task.type} task ${task.name ?? task.id}${severity ? ` (${severity})` : ''}`,
      selected,
      hidden,
      draggable: options.editable,
      ...NODE_SIZE,
      measured: NODE_SIZE,
      handles: NODE_HANDLES,
    }));
  });
  for (const task of options.diff?.removedTasks ?? []) {
    nodes.push({
      id: `removed:${task.id}`,
      type: 'task',
      position: task.position ?? { x: 0, y: 0 },
      data: { task, index: -1, change: 'removed' },
      draggable: false,
      selectable: false,
      connectable: false,
      hidden: options.overview ?? false,
      ...NODE_SIZE,
      measured: NODE_SIZE,
      handles: NODE_HANDLES,
    });
  }
  nodes.push(...missingNodes(doc, nodes, options.overview ?? false));
  return nodes;
}

/** Ghost nodes for edge ends that name no task, so such an edge is drawn and can be fixed. */
function missingNodes(doc: JobDoc, nodes: FlowNode[], hidden: boolean): MissingFlowNode[] {
  const known = new Map(nodes.map((node) => [node.id, node]));
  const missing = new Map<string, MissingFlowNode>();
  for (const edge of edgesOf(doc)) {
    for (const [end, other, dx] of [
      [edge.to, edge.from, NODE_WIDTH + 80],
      [edge.from, edge.to, -(NODE_WIDTH + 80)],
    ] as const) {
      if (known.has(end) || missing.has(end)) continue;
      const anchor = known.get(other)?.position ?? { x: 0, y: 0 };
      missing.set(end, {
        id: end,
        type: 'missing',
        position: { x: anchor.x + dx, y: anchor.y + NODE_HEIGHT + 20 },
        data: { id: end },
        draggable: false,
        connectable: false,
        hidden,
        ...NODE_SIZE,
        measured: NODE_SIZE,
        handles: NODE_HANDLES,
      });
    }
  }
  return [...missing.values()];
}

export function kindEdges(doc: JobDoc, options: FlowOptions): KindFlowEdge[] {
  const edges = edgesOf(doc).map((edge, index) => {
    const selected = options.selectedEdges.has(index);
    const severity = options.problems.edges.get(index);
    const change = options.diff?.edges.get(edgeKey(edge));
    const key = `${index}|${selected}|${severity ?? ''}|${change ?? ''}|${options.editable}`;
    return cached(edgeCache, edge, key, () =>
      makeEdge(edge, index, selected, options.editable, severity, change),
    );
  });
  if (options.diff && options.base) {
    for (const edge of edgesOf(options.base)) {
      const key = edgeKey(edge);
      if (options.diff.edges.get(key) !== 'removed') continue;
      const removedEnd = (id: string) =>
        options.diff?.tasks.get(id) === 'removed' ? `removed:${id}` : id;
      edges.push({
        ...makeEdge(edge, -1, false, false, undefined, 'removed'),
        id: `removed:${key}`,
        source: removedEnd(edge.from),
        target: removedEnd(edge.to),
        selectable: false,
      });
    }
  }
  return edges;
}

function makeEdge(
  edge: EdgeDoc,
  index: number,
  selected: boolean,
  editable: boolean,
  severity: Severity | undefined,
  change: ChangeKind | undefined,
): KindFlowEdge {
  return {
    id: edgeIdOf(index),
    type: 'kind',
    source: edge.from,
    target: edge.to,
    selected,
    data: { kind: String(edge.on), index, severity, change, editable },
    markerEnd: edgeMarker(String(edge.on)),
    ariaLabel: `Edge from ${edge.from} to ${edge.to} on ${String(edge.on)}`,
  };
}
