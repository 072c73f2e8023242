import { useCallback } from 'react';
import { Link } from 'react-router';
import { listAudit } from '../api/endpoints';
import { auditActions } from '../api/types';
import { formatDateTime } from '../lib/format';
import { useDebounced } from '../lib/useDebounced';
import { useResource } from '../lib/useResource';
import { useSearchFilters } from '../lib/useSearchFilters';
import { useHasRole } from '../shell/session';
import { DataTable } from '../ui/DataTable';
import { ErrorNote } from '../ui/ErrorNote';
import { FilterBar, type Filter } from '../ui/FilterBar';

const filters: readonly Filter[] = [
  { kind: 'text', name: 'jobId', label: 'Job id' },
  { kind: 'text', name: 'actor', label: 'Actor' },
  {
    kind: 'select',
    name: 'action',
    label: 'Action',
    choices: [['', 'Any action'], ...auditActions],
  },
  { kind: 'datetime', name: 'from', label: 'From' },
  { kind: 'datetime', name: 'to', label: 'To' },
];

/** Who did what and when: filter by job, actor, action and time (admins). */
export default function AuditPage() {
  const isAdmin = useHasRole('admin');
  const [values, set] = useSearchFilters(['jobId', 'actor', 'action', 'from', 'to']);
  const settled = useDebounced(values.jobId + '\0' + values.actor, 250);
  const [jobId = '', actor = ''] = settled.split('\0');
  const { action, from, to } = values;
  const load = useCallback(
    (signal: AbortSignal) =>
      listAudit(
        {
          jobId: jobId || undefined,
          actor: actor || undefined,
          action: action || undefined,
          from: from ? new Date(from).toISOString() : undefined,
          to: to ? new Date(to).toISOString() : undefined,
          limit: 200,
        },
        signal,
      ),
    [jobId, actor, action, from, to],
  );
  const audit = useResource(load);

  if (!isAdmin) return <p className="empty">The audit log is for administrators.</p>;
  return (
    <main className="page">
      <div className="page__header">
        <h1>Audit log</h1>
      </div>
      <FilterBar filters={filters} values={values} onChange={set} />
      {audit.error !== undefined && <ErrorNote error={audit.error} onRetry={audit.reload} />}
      <DataTable
        caption="Audit entries"
        columns={['When', 'Who', 'Action', 'Job / run', 'Details']}
        busy={audit.loading}
        skeleton={audit.loading && !audit.data}
        empty={!audit.loading && audit.data?.items.length === 0 ? 'No entries match.' : undefined}
      >
        {audit.data?.items.map((entry) => (
          <tr key={entry.id}>
            <td>{formatDateTime(entry.at)}</td>
            <td>
              {entry.actor.name}
              <div className="muted small">{entry.ip}</div>
            </td>
            <td>
              <code>{entry.action}</code>
            </td>
            <td>
              {entry.jobId && (
                <Link to={`/jobs/${encodeURIComponent(entry.jobId)}`}>{entry.jobId}</Link>
              )}
              {entry.runId && (
                <div>
                  <Link to={`/runs/${encodeURIComponent(entry.runId)}`} className="mono">
                    {entry.runId}
                  </Link>
                </div>
              )}
            </td>
            <td>
              <AuditDetails details={entry.details} />
            </td>
          </tr>
        ))}
      </DataTable>
    </main>
  );
}

function AuditDetails({ details }: { details: unknown }) {
  if (details === undefined || details === null) return null;
  const note =
    typeof details === 'object' && 'note' in details
      ? (details as { note?: unknown }).note
      : undefined;
  return (
    <>
      {typeof note === 'string' && <div className="audit__note">“{note}”</div>}
      <details>
        <summary className="muted">JSON</summary>
        <pre className="mono audit__json">{JSON.stringify(details, null, 2)}</pre>
      </details>
    </>
  );
}
