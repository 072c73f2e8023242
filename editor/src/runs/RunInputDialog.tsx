/**
 * The form a manual run of a job with declared inputs opens: generated from the engine's
 * runInputSchema (one field per input, its description as help), pre-filled with the defaults,
 * checked as the user types with the same rule the API applies, and offering the schedule's input.
 */
import { useState, type FormEvent } from 'react';
import { inputDefaults, resolveRunInput, type InputDeclaration } from '@batchgraph/engine';
import { ApiError, errorMessage } from '../api/errors';
import { SchemaForm, type Segment } from '../editor/panels/SchemaForm';
import { runInputJsonSchema } from '../editor/panels/jsonSchema';
import { indexProblems } from '../editor/model/problems';
import { setIn } from '../editor/model/document';
import { Dialog } from '../ui/Dialog';
import { FormFooter } from '../ui/FormFooter';

interface RunInputDialogProps {
  jobName: string;
  declarations: InputDeclaration[];
  /** The schedule's input, offered as a starting point. */
  scheduleInput?: unknown;
  onClose: () => void;
  /** Starts the run; a rejected promise (e.g. the API's 400) is shown in the form. */
  onStart: (input: Record<string, unknown>) => Promise<void>;
}

export function RunInputDialog(props: RunInputDialogProps) {
  const { declarations } = props;
  const [value, setValue] = useState<Record<string, unknown>>(() => inputDefaults(declarations));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [serverProblems, setServerProblems] = useState<ApiError['problems']>([]);
  const schema = runInputJsonSchema(declarations);
  const checked = resolveRunInput(declarations, value);
  const problems = indexProblems(checked.ok ? serverProblems : checked.errors, []);

  const change = (path: Segment[], next: unknown) => {
    setServerProblems([]);
    setValue((current) => {
      const document = setIn({ input: current }, path, next) as { input?: Record<string, unknown> };
      return document.input ?? {};
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!checked.ok) return;
    setBusy(true);
    setError(undefined);
    props.onStart(checked.input).catch((cause: unknown) => {
      if (cause instanceof ApiError) setServerProblems(cause.problems);
      setError(errorMessage(cause));
      setBusy(false);
    });
  };
  const scheduleInput = props.scheduleInput;
  return (
    <Dialog title={`Run ${props.jobName}`} open onClose={props.onClose} wide>
      <form className="form" onSubmit={submit} aria-label="Run input">
        <p>This job takes inputs; the form starts with their defaults.</p>
        {scheduleInput !== undefined && (
          <p>
            <button
              type="button"
              className="button"
              onClick={() => setValue(structuredClone(scheduleInput) as Record<string, unknown>)}
            >
              Use the schedule’s input
            </button>
          </p>
        )}
        <SchemaForm
          schema={schema}
          value={value}
          path={['input']}
          problems={problems}
          onChange={change}
        />
        <FormFooter
          submitLabel="Run"
          error={error}
          disabled={busy || !checked.ok}
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}
