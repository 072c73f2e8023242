interface FormFooterProps {
  submitLabel: string;
  /** Why the last submit failed, announced at once. */
  error?: string;
  /** Disables submitting (while busy, or until the form is complete). */
  disabled?: boolean;
  onCancel: () => void;
}

/** The end of a dialog's form: what went wrong, then Cancel and the submit button. */
export function FormFooter({ submitLabel, error, disabled, onCancel }: FormFooterProps) {
  return (
    <>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog__actions dialog__actions--inline">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={disabled}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
