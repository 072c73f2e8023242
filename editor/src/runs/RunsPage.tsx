import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { runStatuses } from '@batchgraph/engine';
import { listRuns } from '../api/endpoints';
import type { RunSummary } from '../api/types';
import { elapsed, formatDateTime, formatDuration } from '../lib/format';
import { useNow } from '../lib/useNow';
import { useSearchFilters } from '../lib/useSearchFilters';
import { DataTable } from '../ui/DataTable';
import { ErrorNote } from '../ui/ErrorNote';
import { FilterBar, type Filter } from '../ui/FilterBar';
import { StatusBadge } from '../ui/StatusBadge';

const PAGE_SIZE = 50;

const filters: readonly Filter[] = [
  {
    kind: 'select',
    name: 'status',
    label: 'Status',
    choices: [
      ['', 'Any status'],
      ...runStatuses.map((value) => [value, value.replace('_', ' ')] as const),
    ],
  },
  { kind: 'datetime', name: 'from', label: 'From' },
  { kind: 'datetime', name: 'to', label: 'To' },
];

/** Runs across jobs (/runs) or of one job (/jobs/:jobId/runs), newest first. */
export default function RunsPage() {
  const { jobId } = useParams();
  const [values, setParam] = useSearchFilters(['status', 'from', 'to']);
  const { status, from, to } = values;
  const [items, setItems] = useState<RunSummary[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const now = useNow(1000);

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
      <FilterBar filters={filters} values={values} onChange={setParam} />
      {error !== undefined && <ErrorNote error={error} />}
      <DataTable
        caption="Runs"
        columns={[
          'Run',
          ...(jobId ? [] : ['Job']),
          'Status',
          'Trigger',
          'Version',
          'Started',
          'Duration',
        ]}
        busy={loading}
        skeleton={loading && items.length === 0}
        empty={!loading && items.length === 0 ? 'No runs match.' : undefined}
      >
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
      </DataTable>
      {next && (
        <button type="button" className="button" onClick={() => void more()}>
          Load more
        </button>
      )}
    </main>
  );
}
