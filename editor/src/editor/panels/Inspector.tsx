import { useCallback, useId } from 'react';
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
import type { Selection } from '../canvas/JobCanvas';
import { OWN_TASK_FIELDS, paramsJsonSchema, taskFieldsJsonSchema } from './jsonSchema';
import { SchemaForm, type Segment } from './SchemaForm';
import { TaskIdField } from './TaskIdField';
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
  const typeId = useId();
  const onChange = useCallback(
    (path: Segment[], value: unknown) =>
      onEdit((doc) => setIn(doc, path, value) as JobDoc, `field:${jsonPath(path)}`),
    [onEdit],
  );
  const params = paramsJsonSchema(task.type);
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
        <div className="field">
          <label className="field__label" htmlFor={typeId}>
            Type
          </label>
          <select
            id={typeId}
            className="input"
            value={task.type}
            onChange={(event) => {
              const type = event.target.value as TaskType;
              onEdit(
                (doc) =>
                  setIn(doc, ['tasks', index], {
                    ...task,
                    type,
                    params: defaultParams(type),
                  }) as JobDoc,
              );
            }}
          >
            {taskTypes.map((type) => (
              <option key={type} value={type}>
                {typeTitle(type)}
              </option>
            ))}
          </select>
          <p className="field__help">{typeDescription(task.type)}</p>
        </div>
        <h3 className="inspector__heading">Parameters</h3>
        {params ? (
          <SchemaForm
            schema={params}
            value={task.params}
            path={['tasks', index, 'params']}
            problems={problems}
            onChange={onChange}
          />
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
  const kindId = useId();
  const edgeProblems = problems.under(`$.edges[${index}]`);
  return (
    <div className="inspector">
      <h3 className="inspector__heading">
        Edge {edge.from} → {edge.to}
      </h3>
      <div className="field">
        <label className="field__label" htmlFor={kindId}>
          When
        </label>
        <select
          id={kindId}
          className="input"
          disabled={readOnly}
          value={edge.on}
          onChange={(event) =>
            onEdit((current) => setEdgeKind(current, index, event.target.value as EdgeKind))
          }
        >
          {edgeKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
        <p className="field__help">
          success: the source succeeded; failure: it failed; always: either.
        </p>
      </div>
      {edgeProblems.length > 0 && (
        <ul className="schema-form__problems">
          {edgeProblems.map((problem) => (
            <li key={problem.code} className={`field__${problem.severity}`}>
              {problem.message}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <button type="button" className="button button--danger" onClick={props.onDelete}>
          Delete edge
        </button>
      )}
    </div>
  );
}
