import type { Blocker } from 'react-router';
import { Dialog } from '../ui/Dialog';

interface ConflictDialogProps {
  open: boolean;
  baseVersion: number | undefined;
  currentVersion: number | undefined;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}

/** Someone saved while this user was editing: reload theirs, or overwrite it knowingly. */
export function ConflictDialog(props: ConflictDialogProps) {
  return (
    <Dialog
      title="This job changed while you were editing"
      open={props.open}
      onClose={props.onClose}
      actions={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button" onClick={props.onReload}>
            Reload theirs (discard mine)
          </button>
          <button type="button" className="button button--danger" onClick={props.onOverwrite}>
            Overwrite with mine
          </button>
        </>
      }
    >
      <p>
        You started from version {props.baseVersion ?? '?'}, but version{' '}
        {props.currentVersion ?? '?'} has been saved since. Overwriting saves your document as a new
        version on top of theirs; their changes stay in the version history.
      </p>
    </Dialog>
  );
}

/** In-app navigation away from unsaved changes asks first. */
export function LeaveDialog({ blocker }: { blocker: Blocker }) {
  return (
    <Dialog
      title="Leave without saving?"
      open={blocker.state === 'blocked'}
      onClose={() => blocker.reset?.()}
      actions={
        <>
          <button type="button" className="button" onClick={() => blocker.reset?.()} autoFocus>
            Stay
          </button>
          <button
            type="button"
            className="button button--danger"
            onClick={() => blocker.proceed?.()}
          >
            Discard changes
          </button>
        </>
      }
    >
      <p>Your changes to this job are not saved.</p>
    </Dialog>
  );
}
