import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { TaskType } from '@batchgraph/engine';
import { formatDuration } from '../../lib/format';
import { stateLabel } from '../model/failures';
import type { MissingFlowNode, TaskFlowNode } from './flow';
import { typeGlyph, typeTitle } from './taskTypes';
import { useZoomedOut } from './zoom';
import './TaskNode.css';

/** A task at a glance: type, name and id, and the settings that change how it runs. */
export const TaskNode = memo(function TaskNode({ data, selected }: NodeProps<TaskFlowNode>) {
  const { task, severity, change, run } = data;
  const classes = [
    'task-node',
    selected && 'task-node--selected',
    severity && `task-node--${severity}`,
    change && `task-node--${change}`,
    run && `task-node--state-${run.state}`,
    run?.state === 'failed' && run.failure && `task-node--failure-${run.failure}`,
  ]
    .filter(Boolean)
    .join(' ');
  const label = task.name ?? task.id;
  const zoomedOut = useZoomedOut();
  if (zoomedOut) {
    return (
      <div className={`${classes} task-node--compact`} data-task-id={task.id}>
        <Handle type="target" position={Position.Left} className="task-node__handle" />
        <div className="task-node__name">{label}</div>
        <Handle type="source" position={Position.Right} className="task-node__handle" />
      </div>
    );
  }
  return (
    <div className={classes} data-task-id={task.id}>
      <Handle type="target" position={Position.Left} className="task-node__handle" />
      <div className="task-node__head">
        <span className="task-node__glyph" aria-hidden="true">
          {typeGlyph[task.type as TaskType] ?? '?'}
        </span>
        <span className="task-node__type">{typeTitle(task.type)}</span>
        {severity && (
          <span
            className={`task-node__flag task-node__flag--${severity}`}
            role="img"
            aria-label={severity === 'error' ? 'Has errors' : 'Has warnings'}
          >
            {severity === 'error' ? '!' : '?'}
          </span>
        )}
        {change && (
          <span className={`task-node__change task-node__change--${change}`}>{change}</span>
        )}
        {run && (
          <span className={`task-node__state task-node__state--${run.state}`}>
            {stateLabel(run.state, run.failure)}
          </span>
        )}
      </div>
      <div className="task-node__name" title={label}>
        {label}
      </div>
      <div className="task-node__meta">
        {task.name && <span className="task-node__id">{task.id}</span>}
        {run ? (
          <>
            {run.attempts > 0 && <span className="chip">×{run.attempts}</span>}
            {run.durationMs !== undefined && (
              <span className="chip">{formatDuration(run.durationMs)}</span>
            )}
            {run.reused && <span className="chip">reused</span>}
            {run.progress && (
              <span className="chip">
                {run.progress.done}/{run.progress.total}
              </span>
            )}
          </>
        ) : (
          <>
            {(task.retries ?? 0) > 0 && (
              <span className="chip" title="Retries">
                ↻ {task.retries}
              </span>
            )}
            {task.timeoutSeconds !== undefined && (
              <span className="chip" title="Timeout per attempt">
                ◷ {formatDuration(task.timeoutSeconds * 1000)}
              </span>
            )}
            {task.ignoreFailure && (
              <span className="chip chip--warn" title="A failure does not fail the run">
                ignore fail
              </span>
            )}
            <span className={task.join === 'any' ? 'chip chip--accent' : 'chip'} title="Join">
              join {task.join ?? 'all'}
            </span>
          </>
        )}
      </div>
      {run?.progress && run.progress.total > 0 && (
        <div className="task-node__progress" aria-hidden="true">
          <div style={{ width: `${(100 * run.progress.done) / run.progress.total}%` }} />
        </div>
      )}
      <Handle type="source" position={Position.Right} className="task-node__handle" />
    </div>
  );
});

/** An edge end that names no task: drawn so the broken edge is visible and can be removed. */
export const MissingNode = memo(function MissingNode({ data }: NodeProps<MissingFlowNode>) {
  return (
    <div className="task-node task-node--missing">
      <Handle
        type="target"
        position={Position.Left}
        className="task-node__handle"
        isConnectable={false}
      />
      <div className="task-node__head">
        <span className="task-node__type">Unknown task</span>
      </div>
      <div className="task-node__name">{data.id}</div>
      <div className="task-node__meta muted">No task has this id</div>
      <Handle
        type="source"
        position={Position.Right}
        className="task-node__handle"
        isConnectable={false}
      />
    </div>
  );
});
