import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { runStatuses } from '@batchgraph/engine';
import { listJobs } from '../api/endpoints';
import type { JobSummary } from '../api/types';
import { useDebounced } from '../lib/useDebounced';
import { useNow } from '../lib/useNow';
import { useResource } from '../lib/useResource';
import { useHasRole } from '../shell/session';
import { ErrorNote } from '../ui/ErrorNote';
import { ImportButton } from './ImportButton';
import { JobRow } from './JobRow';
import { useJobActions } from './useJobActions';
import './JobsPage.css';

const PAGE_SIZE = 50;

export function JobsPage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 250);
  const paused = params.get('paused') ?? '';
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? 1);
  const searchRef = useRef<HTMLInputElement>(null);
  const ids = { search: useId(), paused: useId(), status: useId() };

  const setParam = useCallback(
    (name: string, value: string) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          if (name !== 'page') next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam('q', q);
  }, [q, params, setParam]);

  const load = useCallback(
    (signal: AbortSignal) =>
      listJobs(
        {
          q: q || undefined,
          paused: paused === 'true' || paused === 'false' ? paused : undefined,
          status: status || undefined,
          page,
          pageSize: PAGE_SIZE,
        },
        signal,
      ),
    [q, paused, status, page],
  );
  const jobs = useResource(load);
  const now = useNow(1000);
  const canRun = useHasRole('analyst');
  const canPause = useHasRole('admin');
  const { onAction, bulk, dialogs } = useJobActions(jobs.reload);

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const onSelect = useCallback((id: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const items = useMemo(() => jobs.data?.items ?? [], [jobs.data]);
  const selectedJobs = items.filter((job) => selected.has(job.id) && job.schedule);

  useEffect(() => {
    // "/" jumps to the search box, as in most list tools.
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key !== '/' || target.closest('input, textarea, select, [contenteditable]')) return;
      event.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const total = jobs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <main className="page">
      <div className="page__header">
        <h1>Jobs</h1>
        <ImportButton />
        {canRun && (
          <Link to="/jobs/new" className="button button--primary">
            New job
          </Link>
        )}
      </div>
      <div className="toolbar" role="search">
        <label htmlFor={ids.search} className="visually-hidden">
          Search jobs
        </label>
        <input
          ref={searchRef}
          id={ids.search}
          className="input jobs__search"
          type="search"
          placeholder="Search by name or description  ( / )"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <label htmlFor={ids.paused} className="visually-hidden">
          Schedule state
        </label>
        <select
          id={ids.paused}
          className="input"
          value={paused}
          onChange={(event) => setParam('paused', event.target.value)}
        >
          <option value="">Any schedule</option>
          <option value="false">Active schedules</option>
          <option value="true">Paused schedules</option>
        </select>
        <label htmlFor={ids.status} className="visually-hidden">
          Last run status
        </label>
        <select
          id={ids.status}
          className="input"
          value={status}
          onChange={(event) => setParam('status', event.target.value)}
        >
          <option value="">Any last run</option>
          {runStatuses.map((value) => (
            <option key={value} value={value}>
              Last run {value.replace('_', ' ')}
            </option>
          ))}
        </select>
        {canPause && (
          <div className="jobs__bulk" aria-live="polite">
            <span className="muted">{selectedJobs.length} selected</span>
            <button
              type="button"
              className="button"
              disabled={selectedJobs.length === 0}
              onClick={() => bulk('pause', selectedJobs)}
            >
              Pause selected
            </button>
            <button
              type="button"
              className="button"
              disabled={selectedJobs.length === 0}
              onClick={() => bulk('resume', selectedJobs)}
            >
              Resume selected
            </button>
          </div>
        )}
      </div>
      {jobs.error !== undefined && <ErrorNote error={jobs.error} onRetry={jobs.reload} />}
      <div className="card jobs__table-wrap">
        <table className="table" aria-busy={jobs.loading}>
          <caption className="visually-hidden">Jobs</caption>
          <thead>
            <tr>
              {canPause && (
                <th className="table__check">
                  <input
                    type="checkbox"
                    aria-label="Select all jobs on this page"
                    checked={items.length > 0 && items.every((job) => selected.has(job.id))}
                    onChange={(event) =>
                      setSelected(new Set(event.target.checked ? items.map((job) => job.id) : []))
                    }
                  />
                </th>
              )}
              <th scope="col">Job</th>
              <th scope="col">Schedule</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((job: JobSummary) => (
              <JobRow
                key={job.id}
                job={job}
                now={now}
                selectable={canPause}
                selected={selected.has(job.id)}
                canRun={canRun}
                canEdit={canRun}
                canPause={canPause}
                onSelect={onSelect}
                onAction={onAction}
              />
            ))}
          </tbody>
        </table>
        {!jobs.loading && items.length === 0 && jobs.error === undefined && (
          <p className="empty">
            {q || paused || status ? 'No job matches these filters.' : 'No jobs yet. Create one.'}
          </p>
        )}
      </div>
      {pages > 1 && (
        <nav className="toolbar" aria-label="Pages">
          <button
            type="button"
            className="button"
            disabled={page <= 1}
            onClick={() => setParam('page', String(page - 1))}
          >
            Previous
          </button>
          <span className="muted">
            Page {page} of {pages} · {total} jobs
          </span>
          <button
            type="button"
            className="button"
            disabled={page >= pages}
            onClick={() => setParam('page', String(page + 1))}
          >
            Next
          </button>
        </nav>
      )}
      {dialogs}
    </main>
  );
}
