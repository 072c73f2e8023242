import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { cancelRun, getVersion } from '../api/endpoints';
import { errorMessage } from '../api/errors';
import { JobCanvas, type Selection } from '../editor/canvas/JobCanvas';
import type { RunOverlay } from '../editor/canvas/flow';
import { failureHandlingOf } from '../editor/model/failures';
import { noProblems } from '../editor/model/problems';
import { elapsed, formatDateTime, formatDuration } from '../lib/format';
import { useNow } from '../lib/useNow';
import { useResource } from '../lib/useResource';
import { useHasRole } from '../shell/session';
import { ErrorNote } from '../ui/ErrorNote';
import { StatusBadge } from '../ui/StatusBadge';
import { useToast } from '../ui/Toasts';
import { CancelRunButton } from './CancelRunButton';
import { RetryDialog } from './RetryDialog';
import { RunLegend } from './RunLegend';
import { TaskDetails } from './TaskDetails';
import { Timeline } from './Timeline';
import { useRunStarter } from './useRunStarter';
import { useRunStream } from './useRunStream';
import './RunPage.css';

/** One run, live: its own version of the graph coloured by task state, a timeline and details. */
export default function RunPage() {
  const { runId = '' } = useParams();
  const [generation, setGeneration] = useState(0);
  const { run, error, live } = useRunStream(runId, generation);
  const jobId = run?.jobId;
  const version = run?.version;
  const loadVersion = useCallback(
    async () =>
      jobId !== undefined && version !== undefined ? getVersion(jobId, version) : undefined,
    [jobId, version],
  );
  const graph = useResource(loadVersion);
  const [selected, setSelected] = useState<string>();
  const [retrying, setRetrying] = useState(false);
  const now = useNow(1000);
  const canOperate = useHasRole('operator');
  const canRun = useHasRole('analyst');
  const toast = useToast();
  const navigate = useNavigate();

  const running = run?.status === 'running';
  const doc = graph.data?.document;
  const handling = useMemo(() => (doc ? failureHandlingOf(doc) : undefined), [doc]);
  const overlay = useMemo(() => {
    const tasks: Record<string, RunOverlay> = {};
    for (const [id, task] of Object.entries(run?.tasks ?? {})) {
      tasks[id] = {
        state: task.state,
        failure: task.state === 'failed' ? handling?.get(id) : undefined,
        attempts: task.attempts,
        durationMs: task.startedAt
          ? elapsed(
              task.startedAt,
              task.endedAt,
              running ? now : Date.parse(task.endedAt ?? task.startedAt),
            )
          : undefined,
        progress: task.progress
          ? { done: task.progress.done, total: task.progress.total }
          : undefined,
        reused: task.reused,
      };
    }
    return tasks;
  }, [run?.tasks, running, now, handling]);
  const selection: Selection = useMemo(
    () => ({ tasks: new Set(selected ? [selected] : []), edges: new Set() }),
    [selected],
  );

  const runs = useRunStarter();
  const act = async (work: () => Promise<string | undefined>) => {
    try {
      const next = await work();
      if (next) await navigate(`/runs/${encodeURIComponent(next)}`);
      else setGeneration((value) => value + 1);
    } catch (cause) {
      toast(errorMessage(cause), 'error');
    }
  };

  if (error !== undefined) {
    return (
      <main className="page">
        <ErrorNote error={error} onRetry={() => setGeneration((value) => value + 1)} />
      </main>
    );
  }
  if (!run) return <p className="empty">Loading run…</p>;
  const task = doc?.tasks.find((item) => item.id === selected);

  return (
    <main className="workspace run">
      {running && (run.waiting?.length ?? 0) > 0 && (
        <div className="run__waiting" role="status">
          {run.waiting!.map((wait) => (
            <p key={`${wait.taskId ?? ''}:${wait.queue}`}>
              {wait.taskId ? (
                <>
                  Task <strong className="mono">{wait.taskId}</strong>:{' '}
                </>
              ) : (
                'The run: '
              )}
              {wait.message}, since {formatDateTime(wait.since)}. <Link to="/workers">Workers</Link>
            </p>
          ))}
        </div>
      )}
      <header className="workspace__bar">
        <div className="workspace__title">
          <Link to={`/jobs/${encodeURIComponent(run.jobId)}/runs`} className="muted">
            {run.jobName}
          </Link>
          <span className="muted" aria-hidden="true">
            /
          </span>
          <h1 className="mono">{run.runId}</h1>
          <StatusBadge status={run.status} />
          {running && (
            <span className={live ? 'run__live run__live--on' : 'run__live'}>
              {live ? 'live' : 'connecting…'}
            </span>
          )}
        </div>
        <div className="button-row">
          {running && canOperate && (
            <CancelRunButton
              runId={run.runId}
              runningTasks={Object.values(run.tasks).filter((t) => t.state === 'running').length}
              onCancel={() => act(async () => (await cancelRun(run.runId), undefined))}
            />
          )}
          {(run.status === 'failed' || run.status === 'cancelled' || run.status === 'timed_out') &&
            canOperate && (
              <button
                type="button"
                className="button"
                onClick={() => setRetrying(true)}
                title="A new run that re-runs the tasks that did not succeed and all they lead to"
              >
                Retry from failure
              </button>
            )}
          {!running && canRun && (
            <button type="button" className="button" onClick={() => void runs.start(run.jobId)}>
              Run again
            </button>
          )}
          <a className="button" href={run.temporalUiUrl} target="_blank" rel="noreferrer">
            Open in Temporal UI
          </a>
        </div>
      </header>
      <RetryDialog
        runId={run.runId}
        version={run.version}
        open={retrying}
        onClose={() => setRetrying(false)}
        onRetried={(next) => {
          setRetrying(false);
          void act(() => Promise.resolve(next));
        }}
        onError={(cause) => toast(errorMessage(cause), 'error')}
      />
      <dl className="run__facts">
        <div>
          <dt>Version</dt>
          <dd>
            <Link to={`/jobs/${encodeURIComponent(run.jobId)}`}>v{run.version}</Link>
          </dd>
        </div>
        <div>
          <dt>Trigger</dt>
          <dd>{run.trigger}</dd>
        </div>
        <div>
          <dt>Started by</dt>
          <dd>{run.startedBy.name}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(run.startedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(elapsed(run.startedAt, run.endedAt, now))}</dd>
        </div>
        {run.retriedBy && (
          <div>
            <dt>Retried by</dt>
            <dd>{run.retriedBy.name}</dd>
          </div>
        )}
        {run.retryOf && (
          <div>
            <dt>Retry of</dt>
            <dd>
              <Link to={`/runs/${encodeURIComponent(run.retryOf)}`}>{run.retryOf}</Link>
            </dd>
          </div>
        )}
      </dl>
      <div className="run__body">
        <div className="run__graph">
          {graph.error !== undefined ? (
            <ErrorNote error={graph.error} onRetry={graph.reload} />
          ) : doc ? (
            <ReactFlowProvider>
              <RunLegend tasks={overlay} />
              <JobCanvas
                label="Run graph"
                doc={doc}
                problems={noProblems}
                selection={selection}
                run={overlay}
                onTaskClick={setSelected}
              />
            </ReactFlowProvider>
          ) : (
            <p className="empty">Loading graph…</p>
          )}
        </div>
        <div className="run__timeline">
          <Timeline
            tasks={run.tasks}
            runStart={run.startedAt}
            runEnd={run.endedAt}
            now={now}
            selected={selected}
            onSelect={setSelected}
          />
        </div>
        <aside className="run__side" aria-label="Task details">
          {selected ? (
            <TaskDetails
              runId={run.runId}
              taskId={selected}
              task={task}
              view={run.tasks[selected]}
              now={now}
              temporalUiUrl={run.temporalUiUrl}
              failure={handling?.get(selected)}
            />
          ) : (
            <div className="muted">
              <p>
                Click a task on the graph or the timeline to see its params, output, error and log.
              </p>
              <RunCounts tasks={run.tasks} />
            </div>
          )}
        </aside>
      </div>
      {runs.dialog}
    </main>
  );
}

function RunCounts({ tasks }: { tasks: Record<string, { state: string }> }) {
  const counts = new Map<string, number>();
  for (const task of Object.values(tasks))
    counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
  return (
    <ul className="run__counts">
      {[...counts].map(([state, count]) => (
        <li key={state}>
          <StatusBadge status={state} /> {count}
        </li>
      ))}
    </ul>
  );
}
