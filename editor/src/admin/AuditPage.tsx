import { useCallback, useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listAudit } from '../api/endpoints';
import { auditActions } from '../api/types';
import { formatDateTime } from '../lib/format';
import { useDebounced } from '../lib/useDebounced';
import { useResource } from '../lib/useResource';
import { useHasRole } from '../shell/session';
import { ErrorNote } from '../ui/ErrorNote';

/** Who did what and when: filter by job, actor, action and time (admins). */
export default function AuditPage() {
  const isAdmin = useHasRole('admin');
  const [params, setParams] = useSearchParams();
  const filters = {
    jobId: params.get('jobId') ?? '',
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const settled = useDebounced(filters.jobId + '\0' + filters.actor, 250);
  const [jobId = '', actor = ''] = settled.split('\0');
  const { action, from, to } = filters;
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
  const ids = { job: useId(), actor: useId(), action: useId(), from: useId(), to: useId() };
  const set = (name: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  if (!isAdmin) return <p className="empty">The audit log is for administrators.</p>;
  return (
    <main className="page">
      <div className="page__header">
        <h1>Audit log</h1>
      </div>
      <div className="toolbar" role="search">
        <label htmlFor={ids.job} className="visually-hidden">
          Job id
        </label>
        <input
          id={ids.job}
          className="input"
          placeholder="Job id"
          value={filters.jobId}
          onChange={(event) => set('jobId', event.target.value)}
        />
        <label htmlFor={ids.actor} className="visually-hidden">
          Actor
        </label>
        <input
          id={ids.actor}
          className="input"
          placeholder="Actor"
          value={filters.actor}
          onChange={(event) => set('actor', event.target.value)}
        />
        <label htmlFor={ids.action} className="visually-hidden">
          Action
        </label>
        <select
          id={ids.action}
          className="input"
          value={action}
          onChange={(event) => set('action', event.target.value)}
        >
          <option value="">Any action</option>
          {auditActions.map((value) => (
            <option key={value} value={value}>
              {value}
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
          onChange={(event) => set('from', event.target.value)}
        />
        <label htmlFor={ids.to} className="muted">
          To
        </label>
        <input
          id={ids.to}
          className="input"
          type="datetime-local"
          value={to}
          onChange={(event) => set('to', event.target.value)}
        />
      </div>
      {audit.error !== undefined && <ErrorNote error={audit.error} onRetry={audit.reload} />}
      <div className="card">
        <table className="table" aria-busy={audit.loading}>
          <caption className="visually-hidden">Audit entries</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Job / run</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
        {!audit.loading && audit.data?.items.length === 0 && (
          <p className="empty">No entries match.</p>
        )}
      </div>
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
