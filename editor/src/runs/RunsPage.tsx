import { useCallback, useEffect, useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { runStatuses } from '@batchgraph/engine';
import { listRuns } from '../api/endpoints';
import type { RunSummary } from '../api/types';
import { elapsed, formatDateTime, formatDuration } from '../lib/format';
import { useNow } from '../lib/useNow';
import { ErrorNote } from '../ui/ErrorNote';
import { StatusBadge } from '../ui/StatusBadge';

const PAGE_SIZE = 50;

/** Runs across jobs (/runs) or of one job (/jobs/:jobId/runs), newest first. */
export default function RunsPage() {
  const { jobId } = useParams();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [items, setItems] = useState<RunSummary[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const now = useNow(1000);
  const ids = { status: useId(), from: useId(), to: useId() };

  const query = useCallback(
    (pageToken?: string, signal?: AbortSignal) =>
      listRuns(
        {
          jobId,
          status: status || undefined,
          from: from ? new Date(from).toISOString() : undefined,
          to: to ? new Date(to).toISOString() : undefined,
          pageSize: PAGE_SIZE,
          pageToken,
        },
        signal,
      ),
    [jobId, status, from, to],
  );

  useEffect(() => {
    const controller = new AbortController();
    query(undefined, controller.signal).then(
      (page) => {
        setItems(page.items);
        setNext(page.nextPageToken);
        setError(undefined);
        setLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        setError(cause);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [query, generation]);

  const more = async () => {
    try {
      const page = await query(next);
      setItems((list) => [...list, ...page.items]);
      setNext(page.nextPageToken);
    } catch (cause) {
      setError(cause);
    }
  };

  const setParam = (name: string, value: string) =>
    setParams(
      (current) => {
        const nextParams = new URLSearchParams(current);
        if (value) nextParams.set(name, value);
        else nextParams.delete(name);
        return nextParams;
      },
      { replace: true },
    );

  const jobName = jobId ? (items[0]?.jobName ?? jobId) : undefined;
  return (
    <main className="page">
      <div className="page__header">
        <h1>{jobName ? `Runs of ${jobName}` : 'Runs'}</h1>
        {jobId && (
          <Link className="button" to={`/jobs/${encodeURIComponent(jobId)}`}>
            Open job
          </Link>
        )}
        <button
          type="button"
          className="button"
          onClick={() => {
            setLoading(true);
            setGeneration((value) => value + 1);
          }}
        >
          Refresh
        </button>
      </div>
      <div className="toolbar" role="search">
        <label htmlFor={ids.status} className="visually-hidden">
          Status
        </label>
        <select
          id={ids.status}
          className="input"
          value={status}
          onChange={(event) => setParam('status', event.target.value)}
        >
          <option value="">Any status</option>
          {runStatuses.map((value) => (
            <option key={value} value={value}>
              {value.replace('_', ' ')}
            </option>
          ))}
        </select>
        <label htmlFor={ids.from} className="muted">
          From
        </label>
        <input
          id={ids.from}
          className="input"
          type="datetime-local"
          value={from}
          onChange={(event) => setParam('from', event.target.value)}
        />
        <label htmlFor={ids.to} className="muted">
          To
        </label>
        <input
          id={ids.to}
          className="input"
          type="datetime-local"
          value={to}
          onChange={(event) => setParam('to', event.target.value)}
        />
      </div>
      {error !== undefined && <ErrorNote error={error} />}
      <div className="card">
        <table className="table" aria-busy={loading}>
          <caption className="visually-hidden">Runs</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              {!jobId && <th scope="col">Job</th>}
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Version</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {items.map((run) => (
              <tr key={run.runId}>
                <td>
                  <Link to={`/runs/${encodeURIComponent(run.runId)}`} className="mono">
                    {run.runId}
                  </Link>
                </td>
                {!jobId && (
                  <td>
                    <Link to={`/jobs/${encodeURIComponent(run.jobId)}/runs`}>{run.jobName}</Link>
                  </td>
                )}
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>{run.trigger}</td>
                <td>v{run.version}</td>
                <td>{formatDateTime(run.startedAt)}</td>
                <td>{formatDuration(elapsed(run.startedAt, run.endedAt, now))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && items.length === 0 && <p className="empty">No runs match.</p>}
      </div>
      {next && (
        <button type="button" className="button" onClick={() => void more()}>
          Load more
        </button>
      )}
    </main>
  );
}
