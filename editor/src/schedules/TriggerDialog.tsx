import { useState, type FormEvent } from 'react';
import { triggerSchedule } from '../api/endpoints';
import { Dialog } from '../ui/Dialog';
import { FormFooter } from '../ui/FormFooter';
import { OverlapField, type OverlapChoice } from './OverlapField';
import type { SavedSchedule } from './useSavedSchedule';
import { useScheduleRequest } from './useScheduleRequest';

interface TriggerDialogProps {
  saved: SavedSchedule;
  onClose: () => void;
  /** After the run was started (the dialog closes itself through onClose). */
  onDone?: () => void;
}

/** Starts one run of a saved schedule now (`POST /jobs/:id/schedule/trigger`). */
export function TriggerDialog({ saved, onClose, onDone }: TriggerDialogProps) {
  const [overlap, setOverlap] = useState<OverlapChoice>('');
  const { busy, error, send } = useScheduleRequest(() => {
    onDone?.();
    onClose();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(
      () => triggerSchedule(saved.jobId, overlap || undefined),
      `Started a run of ${saved.jobName} from its schedule`,
    );
  };
  return (
    <Dialog title={`Run the schedule of ${saved.jobName} now`} open onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p>
          Starts one run now, as the schedule would: with the schedule’s input, shown as a{' '}
          <em>schedule</em> run. A paused schedule stays paused.
        </p>
        <OverlapField
          schedulePolicy={saved.schedule.overlap}
          value={overlap}
          onChange={setOverlap}
        />
        <FormFooter submitLabel="Run now" error={error} disabled={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
