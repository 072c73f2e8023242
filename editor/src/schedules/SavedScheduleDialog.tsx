import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/ErrorNote';
import { BackfillDialog } from './BackfillDialog';
import { TriggerDialog } from './TriggerDialog';
import { useSavedSchedule } from './useSavedSchedule';

interface SavedScheduleDialogProps {
  kind: 'trigger' | 'backfill';
  jobId: string;
  jobName: string;
  onClose: () => void;
  onDone: () => void;
}

/** Loads a job's saved schedule, then asks for the trigger or backfill (jobs list actions). */
export function SavedScheduleDialog({
  kind,
  jobId,
  jobName,
  onClose,
  onDone,
}: SavedScheduleDialogProps) {
  const saved = useSavedSchedule(jobId);
  if (saved.data) {
    const Chosen = kind === 'trigger' ? TriggerDialog : BackfillDialog;
    return <Chosen saved={saved.data} onClose={onClose} onDone={onDone} />;
  }
  return (
    <Dialog title={`Schedule of ${jobName}`} open onClose={onClose}>
      {saved.error !== undefined ? (
        <ErrorNote error={saved.error} onRetry={saved.reload} />
      ) : (
        <p>{saved.loading ? 'Loading the saved schedule…' : `${jobName} has no saved schedule.`}</p>
      )}
    </Dialog>
  );
}
