import { useState } from 'react';
import { ConfirmDialog } from '../ui/ConfirmDialog';

interface CancelRunButtonProps {
  runId: string;
  /** Tasks running now, which the cancellation stops. */
  runningTasks: number;
  onCancel: () => Promise<void>;
}

/** Cancelling a run cannot be undone, so it is confirmed with what it will stop. */
export function CancelRunButton({ runId, runningTasks, onCancel }: CancelRunButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button type="button" className="button button--danger" onClick={() => setAsking(true)}>
        Cancel run
      </button>
      <ConfirmDialog
        open={asking}
        title="Cancel this run?"
        confirmLabel="Cancel run"
        dismissLabel="Keep running"
        danger
        busy={busy}
        onClose={() => setAsking(false)}
        onConfirm={() => {
          setBusy(true);
          void onCancel().finally(() => {
            setBusy(false);
            setAsking(false);
          });
        }}
      >
        <p>
          <span className="mono">{runId}</span> stops:{' '}
          {runningTasks === 1 ? '1 running task is' : `${runningTasks} running tasks are`} cancelled
          and the tasks that have not started are skipped. This cannot be undone; Retry from failure
          can run the rest later.
        </p>
      </ConfirmDialog>
    </>
  );
}
