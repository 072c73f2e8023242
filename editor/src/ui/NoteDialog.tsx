import { useId, useState, type FormEvent } from 'react';
import { Dialog } from './Dialog';
import { FormFooter } from './FormFooter';

interface NoteDialogProps {
  title: string;
  open: boolean;
  confirmLabel: string;
  /** Pausing needs a reason; resuming does not. */
  required: boolean;
  busy?: boolean;
  error?: string;
  onSubmit: (note: string) => void;
  onClose: () => void;
}

/** Asks for the note that goes with a pause or resume (kept in the schedule and the audit log). */
export function NoteDialog(props: NoteDialogProps) {
  const [note, setNote] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (props.required && note.trim() === '') return;
    props.onSubmit(note.trim());
  };
  return (
    <Dialog title={props.title} open={props.open} onClose={props.onClose}>
      <form className="form" onSubmit={submit}>
        <label htmlFor={id} className="field__label">
          Note{props.required ? '' : ' (optional)'}
        </label>
        <textarea
          id={id}
          className="input"
          rows={3}
          value={note}
          required={props.required}
          placeholder={props.required ? 'Why? e.g. upstream maintenance until Friday' : ''}
          onChange={(event) => setNote(event.target.value)}
          autoFocus
        />
        <FormFooter
          submitLabel={props.confirmLabel}
          error={props.error}
          disabled={props.busy || (props.required && note.trim() === '')}
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}
