import { useCallback } from 'react';
import { edgeKinds, jsonPath, taskTypes, type EdgeKind, type TaskType } from '@batchgraph/engine';
import { typeDescription, typeTitle } from '../canvas/taskTypes';
import {
  defaultParams,
  edgesOf,
  renameTask,
  setEdgeKind,
  setIn,
  type JobDoc,
  type TaskDoc,
} from '../model/document';
import type { ProblemIndex } from '../model/problems';
import { SelectField } from '../../ui/Field';
import type { Selection } from '../canvas/JobCanvas';
import { FieldSuggestionsContext, type FieldSuggestions } from './fieldSuggestions';
import { OWN_TASK_FIELDS, paramsJsonSchema, taskFieldsJsonSchema } from './jsonSchema';
import { SchemaForm, type Segment } from './SchemaForm';
import { TaskIdField } from './TaskIdField';
import { useConnectionNames } from './useConnectionNames';
import './Inspector.css';

interface InspectorProps {
  doc: JobDoc;
  selection: Selection;
  problems: ProblemIndex;
  readOnly: boolean;
  onEdit: (update: (doc: JobDoc) => JobDoc, coalesce?: string) => void;
  onSelect: (selection: Selection) => void;
  onDelete: () => void;
}

/** Edits the selected task (a form generated from the engine's schemas) or edge. */
export function Inspector(props: InspectorProps) {
  const { doc, selection } = props;
  const [taskId] = selection.tasks;
  const [edgeIndex] = selection.edges;
  const count = selection.tasks.size + selection.edges.size;
  if (count === 0) {
    return (
      <div className="inspector inspector--empty">
        <p>Select a task or an edge to edit it.</p>
        <p className="muted">
          Drag a task type from the palette onto the canvas, then drag from a task’s right handle to
          another task’s left handle to connect them.
        </p>
      </div>
    );
  }
  if (count > 1) {
    return (
      <div className="inspector">
        <p>
          {selection.tasks.size} tasks and {selection.edges.size} edges selected.
        </p>
        {!props.readOnly && (
          <button type="button" className="button button--danger" onClick={props.onDelete}>
            Delete selection
          </button>
        )}
      </div>
    );
  }
  if (taskId !== undefined) {
    const index = doc.tasks.findIndex((task) => task.id === taskId);
    const task = doc.tasks[index];
    if (!task) return null;
    return <TaskInspector {...props} task={task} index={index} />;
  }
  const edge = edgeIndex === undefined ? undefined : edgesOf(doc)[edgeIndex];
  if (!edge || edgeIndex === undefined) return null;
  return <EdgeInspector {...props} index={edgeIndex} />;
}

function TaskInspector(props: InspectorProps & { task: TaskDoc; index: number }) {
  const { task, index, onEdit, problems, readOnly } = props;
  const onChange = useCallback(
    (path: Segment[], value: unknown) =>
      onEdit((doc) => setIn(doc, path, value) as JobDoc, `field:${jsonPath(path)}`),
    [onEdit],
  );
  const params = paramsJsonSchema(task.type);
  const connections = useConnectionNames(task.type === 'http');
  const suggestions = useCallback<FieldSuggestions>(
    (path) => (path.at(-2) === 'params' && path.at(-1) === 'connection' ? connections : undefined),
    [connections],
  );
  return (
    <form
      className="inspector"
      aria-label={`Task ${task.id}`}
      onSubmit={(event) => event.preventDefault()}
    >
      <fieldset disabled={readOnly} className="inspector__fields">
        <TaskIdField
          doc={props.doc}
          id={task.id}
          onRename={(to) => {
            onEdit((doc) => renameTask(doc, task.id, to));
            props.onSelect({ tasks: new Set([to]), edges: new Set() });
          }}
        />
        <SelectField<TaskType>
          label="Type"
          help={typeDescription(task.type)}
          value={task.type}
          choices={taskTypes.map((type) => [type, typeTitle(type)] as const)}
          onChange={(type) =>
            onEdit(
              (doc) =>
                setIn(doc, ['tasks', index], {
                  ...task,
                  type,
                  params: defaultParams(type),
                }) as JobDoc,
            )
          }
        />
        <h3 className="inspector__heading">Parameters</h3>
        {params ? (
          <FieldSuggestionsContext value={suggestions}>
            <SchemaForm
              schema={params}
              value={task.params}
              path={['tasks', index, 'params']}
              problems={problems}
              onChange={onChange}
            />
          </FieldSuggestionsContext>
        ) : (
          <p className="field__error">Unknown task type “{task.type}”.</p>
        )}
        <h3 className="inspector__heading">Running</h3>
        <SchemaForm
          schema={taskFieldsJsonSchema()}
          hidden={OWN_TASK_FIELDS}
          value={task}
          path={['tasks', index]}
          problems={problems}
          onChange={onChange}
        />
      </fieldset>
      {!readOnly && (
        <button
          type="button"
          className="button button--danger inspector__delete"
          onClick={props.onDelete}
        >
          Delete task
        </button>
      )}
    </form>
  );
}

function EdgeInspector(props: InspectorProps & { index: number }) {
  const { doc, index, onEdit, problems, readOnly } = props;
  const edge = edgesOf(doc)[index]!;
  return (
    <div className="inspector">
      <h3 className="inspector__heading">
        Edge {edge.from} → {edge.to}
      </h3>
      <SelectField<EdgeKind>
        label="When"
        help="success: the source succeeded; failure: it failed; always: either."
        problems={problems.under(`$.edges[${index}]`)}
        disabled={readOnly}
        value={edge.on}
        choices={edgeKinds}
        onChange={(kind) => onEdit((current) => setEdgeKind(current, index, kind))}
      />
      {!readOnly && (
        <button type="button" className="button button--danger" onClick={props.onDelete}>
          Delete edge
        </button>
      )}
    </div>
  );
}
