import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { runStatuses } from '@batchgraph/engine';
import { listJobs } from '../api/endpoints';
import type { JobSummary } from '../api/types';
import { useDebounced } from '../lib/useDebounced';
import { useNow } from '../lib/useNow';
import { useResource } from '../lib/useResource';
import { useSearchFilters } from '../lib/useSearchFilters';
import { useHasRole } from '../shell/session';
import { DataTable } from '../ui/DataTable';
import { ErrorNote } from '../ui/ErrorNote';
import { FilterBar, type Filter } from '../ui/FilterBar';
import { ImportButton } from './ImportButton';
import { JobRow } from './JobRow';
import { useJobActions } from './useJobActions';
import './JobsPage.css';

const PAGE_SIZE = 50;

const filters: readonly Filter[] = [
  {
    kind: 'select',
    name: 'paused',
    label: 'Schedule state',
    choices: [
      ['', 'Any schedule'],
      ['false', 'Active schedules'],
      ['true', 'Paused schedules'],
    ],
  },
  {
    kind: 'select',
    name: 'status',
    label: 'Last run status',
    choices: [
      ['', 'Any last run'],
      ...runStatuses.map((value) => [value, `Last run ${value.replace('_', ' ')}`] as const),
    ],
  },
];

export function JobsPage() {
  const [values, setParam] = useSearchFilters(['q', 'paused', 'status', 'page'], {
    resetPage: true,
  });
  const [text, setText] = useState(values.q);
  const q = useDebounced(text.trim(), 250);
  const { paused, status } = values;
  const page = Number(values.page || 1);
  const searchRef = useRef<HTMLInputElement>(null);
  const searchId = useId();

  useEffect(() => {
    if (values.q !== q) setParam('q', q);
  }, [q, values.q, setParam]);

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
  const canBackfill = useHasRole('operator');
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
        <ImportButton allowed={canRun} />
        {canRun && (
          <Link to="/jobs/new" className="button button--primary">
            New job
          </Link>
        )}
      </div>
      <FilterBar
        filters={filters}
        values={values}
        onChange={setParam}
        lead={
          <>
            <label htmlFor={searchId} className="visually-hidden">
              Search jobs
            </label>
            <input
              ref={searchRef}
              id={searchId}
              className="input jobs__search"
              type="search"
              placeholder="Search by name or description  ( / )"
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          </>
        }
      >
        {canPause && (
          <div className="jobs__bulk" aria-live="polite">
            <span className="muted">{selectedJobs.length} selected</span>
            {(['Pause', 'Resume'] as const).map((verb) => (
              <button
                key={verb}
                type="button"
                className="button"
                disabled={selectedJobs.length === 0}
                onClick={() => bulk(verb === 'Pause' ? 'pause' : 'resume', selectedJobs)}
              >
                {`${verb} selected`}
              </button>
            ))}
          </div>
        )}
      </FilterBar>
      {jobs.error !== undefined && <ErrorNote error={jobs.error} onRetry={jobs.reload} />}
      <DataTable
        caption="Jobs"
        className="jobs__table-wrap"
        columns={['Job', 'Schedule', 'Next run', 'Last run']}
        actions
        busy={jobs.loading}
        skeleton={jobs.loading && !jobs.data}
        lead={
          canPause && (
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
          )
        }
        empty={
          !jobs.loading && items.length === 0 && jobs.error === undefined
            ? q || paused || status
              ? 'No job matches these filters.'
              : 'No jobs yet. Create one.'
            : undefined
        }
      >
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
            canBackfill={canBackfill}
            onSelect={onSelect}
            onAction={onAction}
          />
        ))}
      </DataTable>
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
