/**
 * The overview of a large graph: when a job of hundreds of tasks is zoomed out, its tasks and edges
 * are drawn on one canvas instead of thousands of DOM and SVG elements, so panning stays smooth.
 * This module turns the React Flow nodes and edges into batched paths and answers "which task is
 * at this point"; OverviewLayer draws them.
 */
import { getBezierPath, Position } from '@xyflow/react';
import { taskColor } from './colors';
import { edgeColors, edgeDash } from './edgeStyle';
import type { FlowNode, KindFlowEdge } from './flow';
import { NODE_HEIGHT, NODE_WIDTH } from './geometry';

/** A graph of more tasks than this is drawn as an overview when zoomed out, and windowed when not. */
export const LARGE_GRAPH_TASKS = 150;
/** Below this zoom a large graph is drawn as an overview (names are unreadable there anyway). */
export const OVERVIEW_ZOOM = 0.3;

export interface OverviewTask {
  id: string;
  x: number;
  y: number;
  label: string;
}

export interface OverviewScene {
  /** One path per fill colour: a canvas draws 1,000 tasks in a handful of calls. */
  fills: { color: string; path: Path2D }[];
  /** One path per edge style. */
  strokes: { color: string; dash: number[]; width: number; path: Path2D }[];
  selected: Path2D;
  tasks: OverviewTask[];
  /** What the scene covers, in flow coordinates (with room for outlines and edge curves). */
  bounds: { x: number; y: number; width: number; height: number };
}

const dashArray = (dash: string | undefined) => (dash ? dash.split(' ').map(Number) : []);

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}

export function overviewScene(nodes: FlowNode[], edges: KindFlowEdge[]): OverviewScene {
  const positions = new Map(nodes.map((node) => [node.id, node.position]));
  const fills = [...groupBy(nodes, taskColor)].map(([color, group]) => {
    const path = new Path2D();
    for (const node of group)
      path.roundRect(node.position.x, node.position.y, NODE_WIDTH, NODE_HEIGHT, 8);
    return { color, path };
  });
  const selected = new Path2D();
  for (const node of nodes) {
    if (node.selected)
      selected.roundRect(
        node.position.x - 6,
        node.position.y - 6,
        NODE_WIDTH + 12,
        NODE_HEIGHT + 12,
        12,
      );
  }
  const strokes = [...groupBy(edges, (edge) => `${edge.data?.kind}|${edge.selected === true}`)].map(
    ([, group]) => {
      const path = new Path2D();
      for (const edge of group) {
        const source = positions.get(edge.source);
        const target = positions.get(edge.target);
        if (!source || !target) continue;
        const [d] = getBezierPath({
          sourceX: source.x + NODE_WIDTH,
          sourceY: source.y + NODE_HEIGHT / 2,
          sourcePosition: Position.Right,
          targetX: target.x,
          targetY: target.y + NODE_HEIGHT / 2,
          targetPosition: Position.Left,
        });
        path.addPath(new Path2D(d));
      }
      const kind = group[0]?.data?.kind ?? 'success';
      return {
        color: edgeColors[kind] ?? '#c92a2a',
        dash: dashArray(edgeDash[kind]),
        width: group[0]?.selected ? 6 : 2.5,
        path,
      };
    },
  );
  const tasks = nodes.map((node) => ({
    id: node.id,
    x: node.position.x,
    y: node.position.y,
    label: node.type === 'task' ? (node.data.task.name ?? node.data.task.id) : node.data.id,
  }));
  return { fills, strokes, selected, tasks, bounds: boundsOf(tasks) };
}

const MARGIN = 40;

function boundsOf(tasks: OverviewTask[]): OverviewScene['bounds'] {
  if (tasks.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  const xs = tasks.map((task) => task.x);
  const ys = tasks.map((task) => task.y);
  const x = Math.min(...xs) - MARGIN;
  const y = Math.min(...ys) - MARGIN;
  return {
    x,
    y,
    width: Math.max(...xs) + NODE_WIDTH + MARGIN - x,
    height: Math.max(...ys) + NODE_HEIGHT + MARGIN - y,
  };
}

/** The task drawn at a point of the flow, if any. */
export function taskAt(tasks: OverviewTask[], point: { x: number; y: number }): string | undefined {
  return tasks.find(
    (task) =>
      point.x >= task.x &&
      point.x <= task.x + NODE_WIDTH &&
      point.y >= task.y &&
      point.y <= task.y + NODE_HEIGHT,
  )?.id;
}
