import { formatWallShort } from '@batchgraph/engine';
import { useMemo, useState, type FormEvent } from 'react';
import { backfillSchedule } from '../api/endpoints';
import { useNow } from '../lib/useNow';
import { usableZone, wallInputValue, zoneLabel } from '../lib/zonedInput';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { FormFooter } from '../ui/FormFooter';
import { checkBackfill } from './backfill';
import { OverlapField, type OverlapChoice } from './OverlapField';
import type { SavedSchedule } from './useSavedSchedule';
import { useScheduleRequest } from './useScheduleRequest';
import './ScheduleDialogs.css';

interface BackfillDialogProps {
  saved: SavedSchedule;
  onClose: () => void;
  onDone?: () => void;
}

const DAY_MS = 86_400_000;

/**
 * Starts now the runs a saved schedule would have started in a past range
 * (`POST /jobs/:id/schedule/backfill`). The range is typed on the schedule's clock.
 */
export function BackfillDialog({ saved, onClose, onDone }: BackfillDialogProps) {
  const zone = usableZone(saved.schedule.timezone);
  const now = useNow(30_000);
  const [range, setRange] = useState(() => {
    const minute = Math.floor(now / 60_000) * 60_000;
    return { from: wallInputValue(minute - DAY_MS, zone), to: wallInputValue(minute, zone) };
  });
  const [overlap, setOverlap] = useState<OverlapChoice>('');
  const check = useMemo(
    () => checkBackfill(saved.schedule, range.from, range.to, now),
    [saved.schedule, range, now],
  );
  const { busy, error, send } = useScheduleRequest(() => {
    onDone?.();
    onClose();
  });
  const runs = check.runs;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request = check.request;
    if (!request || !runs) return;
    void send(
      () => backfillSchedule(saved.jobId, { ...request, overlap: overlap || undefined }),
      `Backfill of ${saved.jobName} started: ${runs.more ? 'more than ' : ''}${runs.count} run${runs.count === 1 ? '' : 's'}`,
    );
  };
  const when = (iso: string) => formatWallShort(Date.parse(iso), zone);
  const dateTime = (name: 'from' | 'to', label: string) => (
    <Field label={label} aside={zoneLabel(zone, now)} problems={check[name]}>
      {(control) => (
        <input
          {...control}
          className="input"
          type="datetime-local"
          required
          value={range[name]}
          onChange={(event) => setRange((current) => ({ ...current, [name]: event.target.value }))}
        />
      )}
    </Field>
  );

  return (
    <Dialog title={`Backfill ${saved.jobName}`} open onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p>
          Starts now every run the schedule would have started from <em>From</em> to <em>To</em>{' '}
          (both included). Times are on the schedule’s clock: <strong>{zone}</strong>.
        </p>
        {dateTime('from', 'From')}
        {dateTime('to', 'To')}
        <OverlapField
          schedulePolicy={saved.schedule.overlap}
          value={overlap}
          onChange={setOverlap}
        />
        <div className="backfill__summary" aria-live="polite">
          {check.range.map((problem) => (
            <p key={problem.message} className="field__error">
              {problem.message}
            </p>
          ))}
          {runs && runs.count > 0 && runs.first && runs.last && (
            <p>
              Would start <strong>{`${runs.more ? 'more than ' : ''}${runs.count}`}</strong> run
              {runs.count === 1 ? '' : 's'}: {when(runs.first)}
              {runs.count > 1 && ` … ${when(runs.last)}`} ({zone}).
            </p>
          )}
          {check.warning && <p className="backfill__warning">{check.warning}</p>}
        </div>
        <FormFooter
          submitLabel="Start backfill"
          error={error}
          disabled={busy || check.request === undefined}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
