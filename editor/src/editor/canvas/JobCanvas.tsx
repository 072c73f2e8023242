import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type NodeMouseHandler,
  type ReactFlowState,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { taskTypes, type EdgeKind, type TaskType } from '@batchgraph/engine';
import type { JobDiff } from '../model/diff';
import {
  addEdge,
  addTask,
  moveTasks,
  uniqueTaskId,
  type JobDoc,
  type Position,
} from '../model/document';
import { cycleRefusal, wouldCreateCycle } from '../model/graph';
import type { ProblemIndex } from '../model/problems';
import { CanvasActionsContext, type CanvasActions } from './actions';
import { taskColor } from './colors';
import {
  edgeIndexOf,
  kindEdges,
  taskNodes,
  type FlowNode,
  type KindFlowEdge,
  type RunOverlay,
} from './flow';
import { NODE_HEIGHT, NODE_WIDTH } from './geometry';
import { KindEdge } from './KindEdge';
import { LARGE_GRAPH_TASKS, OVERVIEW_ZOOM, overviewScene, taskAt } from './overview';
import { OverviewLayer } from './OverviewLayer';
import { withOverviewNodes } from './fit';
import { MissingNode, TaskNode } from './TaskNode';
import './JobCanvas.css';

export interface Selection {
  tasks: ReadonlySet<string>;
  edges: ReadonlySet<number>;
}
export const emptySelection: Selection = { tasks: new Set(), edges: new Set() };

export const PALETTE_MIME = 'application/x-batchgraph-task-type';

const nodeTypes = { task: TaskNode, missing: MissingNode };
const edgeTypes = { kind: KindEdge };
const noEdges: KindFlowEdge[] = [];
const fitViewOptions = withOverviewNodes({ padding: 0.2, maxZoom: 1.1 });
// Until the pane is set up the zoom is not known yet; assume zoomed out rather than draw every node.
const belowOverviewZoom = (state: ReactFlowState) =>
  state.panZoom === null || state.transform[2] < OVERVIEW_ZOOM;

interface JobCanvasProps {
  doc: JobDoc;
  problems: ProblemIndex;
  selection: Selection;
  onSelectionChange?: (update: (selection: Selection) => Selection) => void;
  /** Absent for a read-only canvas (run view, old versions). */
  onEdit?: (update: (doc: JobDoc) => JobDoc, coalesce?: string) => void;
  onEdgeKind?: (index: number, kind: EdgeKind) => void;
  onTaskClick?: (taskId: string) => void;
  diff?: JobDiff;
  base?: JobDoc;
  run?: Record<string, RunOverlay>;
  label: string;
}

function applySelection<T>(current: ReadonlySet<T>, changes: { id: T; selected: boolean }[]) {
  if (changes.length === 0) return current;
  const next = new Set(current);
  for (const change of changes) {
    if (change.selected) next.add(change.id);
    else next.delete(change.id);
  }
  return next;
}

/** The job's graph on a React Flow canvas; the document stays the source of truth. */
export function JobCanvas(props: JobCanvasProps) {
  const { doc, problems, selection, onSelectionChange, onEdit, onTaskClick } = props;
  const editable = onEdit !== undefined;
  const flow = useReactFlow<FlowNode, KindFlowEdge>();
  const dragGeneration = useRef(0);
  // Fit the graph in view when it opens; a new, empty job keeps its origin while tasks are added.
  const [fitOnOpen] = useState(() => doc.tasks.length > 0);
  // A large graph zoomed out is drawn on one canvas; it opens that way, before fitting the view.
  const large = doc.tasks.length > LARGE_GRAPH_TASKS;
  const overview = useStore(belowOverviewZoom) && large;

  const options = useMemo(
    () => ({
      selectedTasks: selection.tasks,
      selectedEdges: selection.edges,
      problems,
      editable,
      diff: props.diff,
      base: props.base,
      run: props.run,
      overview,
    }),
    [selection, problems, editable, props.diff, props.base, props.run, overview],
  );
  const nodes = useMemo(() => taskNodes(doc, options), [doc, options]);
  const edges = useMemo(() => kindEdges(doc, options), [doc, options]);
  const scene = useMemo(
    () => (overview ? overviewScene(nodes, edges) : undefined),
    [overview, nodes, edges],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const moves = new Map<string, Position>();
      const selects: { id: string; selected: boolean }[] = [];
      for (const change of changes) {
        if (change.type === 'position' && change.position) moves.set(change.id, change.position);
        if (change.type === 'select') selects.push({ id: change.id, selected: change.selected });
      }
      if (moves.size > 0 && onEdit) {
        onEdit((current) => moveTasks(current, moves), `drag:${dragGeneration.current}`);
      }
      if (selects.length > 0) {
        onSelectionChange?.((current) => ({
          ...current,
          tasks: applySelection(current.tasks, selects),
        }));
      }
    },
    [onEdit, onSelectionChange],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<KindFlowEdge>[]) => {
      const selects = changes.flatMap((change) => {
        if (change.type !== 'select') return [];
        const index = edgeIndexOf(change.id);
        return index === undefined ? [] : [{ id: index, selected: change.selected }];
      });
      if (selects.length > 0) {
        onSelectionChange?.((current) => ({
          ...current,
          edges: applySelection(current.edges, selects),
        }));
      }
    },
    [onSelectionChange],
  );

  const isValidConnection: IsValidConnection<KindFlowEdge> = useCallback(
    (connection) =>
      doc.tasks.some((task) => task.id === connection.target) &&
      !wouldCreateCycle(doc, connection.source, connection.target),
    [doc],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      onEdit?.((current) => addEdge(current, connection.source, connection.target, 'success'));
    },
    [onEdit],
  );

  // A connection dropped on a task it may not join says why, instead of silently vanishing.
  const [refusal, setRefusal] = useState<string>();
  const onConnectEnd = useCallback(
    (_event: unknown, connection: FinalConnectionState) => {
      const { fromNode, toNode, isValid } = connection;
      setRefusal(
        !isValid && fromNode && toNode ? cycleRefusal(doc, fromNode.id, toNode.id) : undefined,
      );
    },
    [doc],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME) as TaskType;
      if (!onEdit || !taskTypes.includes(type)) return;
      event.preventDefault();
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const position = { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 };
      const id = uniqueTaskId(doc, type);
      onEdit((current) => addTask(current, type, position, id).doc);
      onSelectionChange?.(() => ({ tasks: new Set([id]), edges: new Set() }));
    },
    [doc, flow, onEdit, onSelectionChange],
  );

  const onNodeClick: NodeMouseHandler<FlowNode> = useCallback(
    (_event, node) => {
      if (node.type === 'task') onTaskClick?.(node.data.task.id);
    },
    [onTaskClick],
  );

  // In the overview the tasks are pixels, not elements: a click picks the task under the pointer.
  const onPaneClick = useCallback(
    (event: MouseEvent) => {
      if (!scene) return;
      const id = taskAt(
        scene.tasks,
        flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }),
      );
      if (id === undefined || !doc.tasks.some((task) => task.id === id)) return;
      onSelectionChange?.(() => ({ tasks: new Set([id]), edges: new Set() }));
      onTaskClick?.(id);
    },
    [scene, flow, doc, onSelectionChange, onTaskClick],
  );

  const actions: CanvasActions | undefined = useMemo(
    () => (props.onEdgeKind ? { setEdgeKind: props.onEdgeKind } : undefined),
    [props.onEdgeKind],
  );

  return (
    <CanvasActionsContext value={actions}>
      <div
        className="job-canvas"
        role="region"
        aria-label={props.label}
        onDragOver={(event) => {
          if (editable && event.dataTransfer.types.includes(PALETTE_MIME)) {
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
          }
        }}
        onDrop={onDrop}
      >
        <ReactFlow<FlowNode, KindFlowEdge>
          nodes={nodes}
          edges={overview ? noEdges : edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectStart={() => setRefusal(undefined)}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onNodeDragStart={() => {
            dragGeneration.current += 1;
          }}
          onNodeClick={onNodeClick}
          onPaneClick={onPaneClick}
          onlyRenderVisibleElements={large}
          nodesDraggable={editable}
          nodesConnectable={editable}
          elementsSelectable
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          minZoom={0.05}
          maxZoom={2}
          fitView={fitOnOpen}
          fitViewOptions={fitViewOptions}
          defaultViewport={large ? { x: 0, y: 0, zoom: OVERVIEW_ZOOM / 2 } : undefined}
        >
          <Background gap={20} size={1.2} color="#d6dbe3" />
          <Controls showInteractive={false} fitViewOptions={fitViewOptions} />
          {scene ? (
            <>
              <OverviewLayer scene={scene} />
              <p className="job-canvas__overview-note">
                Overview of {doc.tasks.length} tasks: click one to select it, zoom in to edit
              </p>
            </>
          ) : (
            <MiniMap
              pannable
              zoomable
              style={{ width: 168, height: 112 }}
              ariaLabel="Overview of the graph"
              nodeColor={(node) => taskColor(node as FlowNode)}
              nodeStrokeWidth={0}
            />
          )}
        </ReactFlow>
        <p className="job-canvas__refusal" role="status">
          {refusal}
        </p>
      </div>
    </CanvasActionsContext>
  );
}
