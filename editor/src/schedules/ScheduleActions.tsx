import { useId, useState } from 'react';
import { useHasRole, useSession } from '../shell/session';
import { ErrorNote } from '../ui/ErrorNote';
import { BackfillDialog } from './BackfillDialog';
import { TriggerDialog } from './TriggerDialog';
import { useSavedSchedule } from './useSavedSchedule';
import './ScheduleDialogs.css';

interface ScheduleActionsProps {
  /** The job whose saved schedule to act on; nothing is shown for a job not saved yet. */
  jobId: string | undefined;
  /** The schedule as the editor holds it now, to say when it differs from the saved one. */
  current: unknown;
}

/** "Run now" and "Backfill…" for the saved schedule of a job, as the user's role allows. */
export function ScheduleActions({ jobId, current }: ScheduleActionsProps) {
  const saved = useSavedSchedule(jobId);
  const { me } = useSession();
  const canTrigger = useHasRole('analyst');
  const canBackfill = useHasRole('operator');
  const [open, setOpen] = useState<'trigger' | 'backfill'>();
  const reasonId = useId();
  if (saved.error !== undefined) return <ErrorNote error={saved.error} onRetry={saved.reload} />;
  const data = saved.data;
  if (!data) return null;
  const buttons = [
    { kind: 'trigger', label: 'Run schedule now…', allowed: canTrigger },
    { kind: 'backfill', label: 'Backfill…', allowed: canBackfill },
  ] as const;
  const reasons = [
    !canTrigger && 'Running the schedule now needs the analyst role',
    !canBackfill && 'backfilling needs the operator role',
  ].filter(Boolean);
  return (
    <section className="schedule-actions" aria-label="Saved schedule">
      <h3 className="schedule-actions__heading">Saved schedule</h3>
      {JSON.stringify(current) !== JSON.stringify(data.document) && (
        <p className="muted small">These use the saved schedule; save to use your changes.</p>
      )}
      <div className="button-row">
        {buttons.map(({ kind, label, allowed }) => (
          <button
            key={kind}
            type="button"
            className="button button--small"
            disabled={!allowed}
            aria-describedby={allowed ? undefined : reasonId}
            onClick={() => setOpen(kind)}
          >
            {label}
          </button>
        ))}
      </div>
      {reasons.length > 0 && (
        <p className="muted small" id={reasonId}>
          {reasons.join('; ')} (you are {me?.role}).
        </p>
      )}
      {open === 'trigger' && <TriggerDialog saved={data} onClose={() => setOpen(undefined)} />}
      {open === 'backfill' && <BackfillDialog saved={data} onClose={() => setOpen(undefined)} />}
    </section>
  );
}
