import { useCallback, useState } from 'react';
import { getRetryPlan, retryRun, type RetryVersion } from '../api/endpoints';
import { useResource } from '../lib/useResource';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorNote } from '../ui/ErrorNote';

interface RetryDialogProps {
  runId: string;
  version: number;
  open: boolean;
  onClose: () => void;
  /** Called with the retry's run id once it is started (or found, when it exists already). */
  onRetried: (runId: string) => void;
  onError: (error: unknown) => void;
}

const list = (ids: string[]) => (ids.length > 0 ? ids.join(', ') : 'none');

/** Retry from failure, confirmed against the API's plan: what runs again, what is reused. */
export function RetryDialog({
  runId,
  version,
  open,
  onClose,
  onRetried,
  onError,
}: RetryDialogProps) {
  const [choice, setChoice] = useState<RetryVersion>('failed');
  const [busy, setBusy] = useState(false);
  const load = useCallback(
    (signal: AbortSignal) =>
      open ? getRetryPlan(runId, choice, signal) : Promise.resolve(undefined),
    [open, runId, choice],
  );
  const plan = useResource(load);
  const confirm = async () => {
    setBusy(true);
    try {
      onRetried((await retryRun(runId, choice)).runId);
    } catch (cause) {
      onError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title="Retry from failure"
      open={open}
      confirmLabel="Retry"
      busy={busy || plan.data === undefined}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <fieldset className="retry-dialog__version">
        <legend>Version</legend>
        <label>
          <input
            type="radio"
            name="retry-version"
            checked={choice === 'failed'}
            onChange={() => setChoice('failed')}
          />{' '}
          This run’s version (v{version})
        </label>
        <label>
          <input
            type="radio"
            name="retry-version"
            checked={choice === 'current'}
            onChange={() => setChoice('current')}
          />{' '}
          The job’s current version (reuses only unchanged tasks)
        </label>
      </fieldset>
      {plan.error !== undefined ? (
        <ErrorNote error={plan.error} onRetry={plan.reload} />
      ) : plan.data ? (
        <dl className="retry-dialog__plan">
          <dt>Runs version</dt>
          <dd>v{plan.data.version}</dd>
          <dt>Runs again</dt>
          <dd className="mono">{list(plan.data.rerun)}</dd>
          {plan.data.redriven.length > 0 && (
            <>
              <dt>Only items that did not succeed</dt>
              <dd className="mono">{list(plan.data.redriven)}</dd>
            </>
          )}
          <dt>Reused (not run)</dt>
          <dd className="mono">{list(plan.data.reused)}</dd>
        </dl>
      ) : (
        <p className="muted">Loading the retry plan…</p>
      )}
    </ConfirmDialog>
  );
}
