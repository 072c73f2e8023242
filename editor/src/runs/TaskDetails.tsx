import { useCallback, useState } from 'react';
import { isTruncatedOutput, type FailureHandling, type TaskView } from '@batchgraph/engine';
import { getTaskLog, getTaskOutput, getTaskTemporalLink } from '../api/endpoints';
import { elapsed, formatDateTime, formatDuration } from '../lib/format';
import { useResource } from '../lib/useResource';
import type { TaskDoc } from '../editor/model/document';
import { ErrorNote } from '../ui/ErrorNote';
import { StatusBadge } from '../ui/StatusBadge';
import './TaskDetails.css';

interface TaskDetailsProps {
  runId: string;
  task: TaskDoc | undefined;
  view: TaskView | undefined;
  taskId: string;
  now: number;
  temporalUiUrl: string;
  /** How this task's failure is taken, when it failed. */
  failure?: FailureHandling;
}

const failureNotes: Record<FailureHandling, string> = {
  handled: 'A failure edge handles this failure: the run goes on and can still succeed.',
  ignored: 'This task ignores its failures: they do not fail the run.',
  'fails-run': 'This failure fails the run: no failure edge handles it.',
};

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** One task of a run: state, timing, params, output, error, log, and foreach statistics. */
export function TaskDetails(props: TaskDetailsProps) {
  const { runId, task, view, taskId, now, temporalUiUrl, failure } = props;
  const state = view?.state ?? 'pending';
  const attempts = view?.attempts ?? 0;
  const progress = view?.progress;
  // The link names the event of the latest attempt, so it is asked for again when attempts change.
  const loadLink = useCallback(
    (signal: AbortSignal) => getTaskTemporalLink(runId, taskId, signal),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refetch on a new attempt or state
    [runId, taskId, attempts, state],
  );
  const link = useResource(loadLink);
  return (
    <section className="task-details" aria-label={`Task ${taskId}`}>
      <header className="task-details__head">
        <h2>{task?.name ?? taskId}</h2>
        <StatusBadge status={state} />
      </header>
      {state === 'failed' && failure && (
        <p className={`task-details__failure task-details__failure--${failure}`}>
          {failureNotes[failure]}
        </p>
      )}
      <dl className="task-details__facts">
        <dt>Id</dt>
        <dd className="mono">{taskId}</dd>
        <dt>Type</dt>
        <dd>{task?.type ?? '—'}</dd>
        <dt>Attempts</dt>
        <dd>
          {attempts}
          {task ? ` of ${1 + (task.retries ?? 0)}` : ''}
        </dd>
        <dt>Started</dt>
        <dd>{formatDateTime(view?.startedAt)}</dd>
        <dt>Duration</dt>
        <dd>
          {view?.startedAt ? formatDuration(elapsed(view.startedAt, view.endedAt, now)) : '—'}
        </dd>
        {view?.workerLost ? (
          <>
            <dt>Worker lost</dt>
            <dd>
              {view.workerLost === 1 ? 'Once' : `${view.workerLost} times`}, attempt re-dispatched
              (uses none of the retries)
            </dd>
          </>
        ) : null}
        {view?.reused && (
          <>
            <dt>Reused</dt>
            <dd>Output carried over from the retried run</dd>
          </>
        )}
      </dl>
      <a
        className="button button--small"
        href={link.data?.url ?? temporalUiUrl}
        target="_blank"
        rel="noreferrer"
      >
        Open in Temporal UI (activity id {taskId})
      </a>
      {progress && (
        <div className="task-details__block">
          <h3>Items</h3>
          <div
            className="task-details__progress"
            role="progressbar"
            aria-label="Items done"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.done}
          >
            <div
              style={{
                width: `${progress.total === 0 ? 0 : (100 * progress.done) / progress.total}%`,
              }}
            />
          </div>
          <p className="task-details__counts">
            {progress.done} / {progress.total} done · {progress.succeeded} succeeded ·{' '}
            {progress.failed} failed · {progress.skipped} skipped
          </p>
          {Object.keys(progress.counters).length > 0 && (
            <dl className="task-details__facts">
              {Object.entries(progress.counters).map(([name, value]) => (
                <div key={name} className="task-details__pair">
                  <dt>{name}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          )}
          {progress.slowest.length > 0 && (
            <>
              <h4>Slowest items</h4>
              <ol className="task-details__slowest">
                {progress.slowest.map((item) => (
                  <li key={item.item}>
                    <span className="mono">{item.item}</span>{' '}
                    <span className="muted">{formatDuration(item.ms)}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      )}
      {view?.error && (
        <div className="task-details__block">
          <h3>Error</h3>
          <pre className="task-details__pre task-details__pre--error">{view.error}</pre>
        </div>
      )}
      {view?.output !== undefined && (
        <TaskOutput
          key={`${state}/${attempts}`}
          runId={runId}
          taskId={taskId}
          summary={view.output}
        />
      )}
      {task && (
        <div className="task-details__block">
          <h3>Params</h3>
          <pre className="task-details__pre">{json(task.params)}</pre>
        </div>
      )}
      {/* Keyed by progress, so the log is read again whenever the task moves on. */}
      <TaskLog key={`${state}/${attempts}`} runId={runId} taskId={taskId} />
    </section>
  );
}

/** The view's summary; a truncated one can be swapped for the full output from the store. */
function TaskOutput({
  runId,
  taskId,
  summary,
}: {
  runId: string;
  taskId: string;
  summary: unknown;
}) {
  const [full, setFull] = useState(false);
  return (
    <div className="task-details__block">
      <h3>Output</h3>
      {full ? (
        <FullOutput runId={runId} taskId={taskId} />
      ) : isTruncatedOutput(summary) ? (
        <>
          <pre className="task-details__pre">{`${summary.preview}…`}</pre>
          <button type="button" className="button button--small" onClick={() => setFull(true)}>
            Show the full output ({summary.bytes.toLocaleString()} bytes)
          </button>
        </>
      ) : (
        <pre className="task-details__pre">{json(summary)}</pre>
      )}
    </div>
  );
}

function FullOutput({ runId, taskId }: { runId: string; taskId: string }) {
  const load = useCallback(
    (signal: AbortSignal) => getTaskOutput(runId, taskId, signal),
    [runId, taskId],
  );
  const output = useResource(load);
  if (output.error !== undefined) return <ErrorNote error={output.error} onRetry={output.reload} />;
  if (output.loading) return <p className="muted">Loading…</p>;
  return <pre className="task-details__pre">{json(output.data)}</pre>;
}

function TaskLog({ runId, taskId }: { runId: string; taskId: string }) {
  const load = useCallback(() => getTaskLog(runId, taskId), [runId, taskId]);
  const log = useResource(load);
  return (
    <div className="task-details__block">
      <h3>Log</h3>
      {log.error !== undefined ? (
        <ErrorNote error={log.error} onRetry={log.reload} />
      ) : log.data && log.data.lines.length > 0 ? (
        <pre className="task-details__pre task-details__log">
          {log.data.lines.map((line, index) => (
            <span key={index} className={`log--${line.stream}`}>
              {`[${line.attempt}] ${line.text}\n`}
            </span>
          ))}
        </pre>
      ) : (
        <p className="muted">{log.loading ? 'Loading…' : 'No log lines.'}</p>
      )}
    </div>
  );
}
