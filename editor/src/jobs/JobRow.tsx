import { memo } from 'react';
import { Link } from 'react-router';
import type { JobSummary } from '../api/types';
import { formatInZone, formatRelative } from '../lib/format';
import { useJobChange } from '../shell/session';
import { Menu, type MenuItem } from '../ui/Menu';
import { StatusBadge } from '../ui/StatusBadge';

export type JobAction =
  'run' | 'pause' | 'resume' | 'trigger' | 'backfill' | 'runs' | 'duplicate' | 'export' | 'delete';

interface JobRowProps {
  job: JobSummary;
  now: number;
  selectable: boolean;
  selected: boolean;
  canRun: boolean;
  canEdit: boolean;
  canPause: boolean;
  /** Operators and up may backfill a schedule, and run any job's schedule now. */
  canBackfill: boolean;
  onSelect: (id: string, selected: boolean) => void;
  onAction: (job: JobSummary, action: JobAction) => void;
}

const viewerCannotRun = 'Viewers cannot start runs: running a job needs the analyst role or above.';

export const JobRow = memo(function JobRow(props: JobRowProps) {
  const { job, now, onAction } = props;
  const schedule = job.schedule;
  // Deleting and running the schedule (as the owner) are the owner's or an admin's.
  const change = useJobChange(job.owner);
  const canTrigger = props.canRun && (change.allowed || props.canBackfill);
  // Schedule actions only for jobs whose saved document has a schedule, and only for roles that
  // may use them: a menu item cannot say why it is disabled.
  const scheduleItems: MenuItem[] = schedule
    ? [
        ...(canTrigger
          ? [{ label: 'Run schedule now…', onSelect: () => onAction(job, 'trigger') }]
          : []),
        ...(props.canBackfill
          ? [{ label: 'Backfill…', onSelect: () => onAction(job, 'backfill') }]
          : []),
      ]
    : [];
  const more: MenuItem[] = [
    { label: 'Duplicate', onSelect: () => onAction(job, 'duplicate'), disabled: !props.canEdit },
    { label: 'Export', onSelect: () => onAction(job, 'export') },
    { label: 'Runs', onSelect: () => onAction(job, 'runs') },
    ...scheduleItems,
    {
      label: change.allowed ? 'Delete…' : `Delete… (${job.owner.name}’s or an admin’s)`,
      onSelect: () => onAction(job, 'delete'),
      danger: true,
      disabled: !props.canEdit || !change.allowed,
    },
  ];
  return (
    <tr aria-selected={props.selectable ? props.selected : undefined}>
      {props.selectable && (
        <td className="table__check">
          <input
            type="checkbox"
            aria-label={`Select ${job.name}`}
            checked={props.selected}
            onChange={(event) => props.onSelect(job.id, event.target.checked)}
          />
        </td>
      )}
      <td>
        <Link to={`/jobs/${encodeURIComponent(job.id)}`} className="jobs__name">
          {job.name}
        </Link>
        {job.description && <div className="muted jobs__description">{job.description}</div>}
        <div className="muted jobs__small">owner {job.owner.name}</div>
      </td>
      <td>
        {schedule ? (
          <>
            <div>{schedule.description}</div>
            {schedule.paused && (
              <div className="jobs__paused">
                <span className="badge badge--paused">Paused</span>
                {schedule.note && <span className="jobs__note">{schedule.note}</span>}
              </div>
            )}
          </>
        ) : (
          <span className="muted">Manual only</span>
        )}
      </td>
      <td>
        {schedule?.nextRunAt && !schedule.paused ? (
          <>
            <div>{formatInZone(schedule.nextRunAt, schedule.timezone)}</div>
            <div className="muted jobs__small">{formatRelative(schedule.nextRunAt, now)}</div>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {job.lastRun ? (
          <Link to={`/runs/${encodeURIComponent(job.lastRun.runId)}`} className="jobs__run">
            <StatusBadge status={job.lastRun.status} />
            <span className="muted jobs__small">{formatRelative(job.lastRun.startedAt, now)}</span>
          </Link>
        ) : (
          <span className="muted">Never run</span>
        )}
      </td>
      <td className="jobs__actions">
        <div className="button-row jobs__buttons">
          <button
            type="button"
            className="button button--small"
            disabled={!props.canRun}
            title={props.canRun ? undefined : viewerCannotRun}
            onClick={() => onAction(job, 'run')}
            aria-label={`Run ${job.name} now`}
          >
            ▶ Run
          </button>
          {schedule && props.canPause && (
            <button
              type="button"
              className="button button--small"
              onClick={() => onAction(job, schedule.paused ? 'resume' : 'pause')}
              aria-label={`${schedule.paused ? 'Resume' : 'Pause'} the schedule of ${job.name}`}
            >
              {schedule.paused ? 'Resume' : 'Pause'}
            </button>
          )}
          <Menu
            label={`More actions for ${job.name}`}
            trigger="⋯"
            className="jobs__more"
            items={more}
          />
        </div>
      </td>
    </tr>
  );
});
