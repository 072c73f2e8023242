import { useId, useState } from 'react';
import { taskIdSchema } from '@batchgraph/engine';
import type { JobDoc } from '../model/document';

interface TaskIdFieldProps {
  doc: JobDoc;
  id: string;
  onRename: (to: string) => void;
}

/**
 * The task id is the node's identity and the edges' reference, so it is renamed as a whole on
 * Enter or when leaving the field, and only to a valid, unused id.
 */
export function TaskIdField({ doc, id, onRename }: TaskIdFieldProps) {
  const inputId = useId();
  const [draft, setDraft] = useState(id);
  const [shown, setShown] = useState(id);
  if (shown !== id) {
    setShown(id);
    setDraft(id);
  }
  const parsed = taskIdSchema.safeParse(draft);
  const problem = !parsed.success
    ? `Id ${parsed.error.issues[0]?.message ?? 'is not valid'}.`
    : draft !== id && doc.tasks.some((task) => task.id === draft)
      ? `Another task already has the id '${draft}'.`
      : undefined;
  const commit = () => {
    if (draft !== id && problem === undefined) onRename(draft);
  };
  return (
    <div className={problem ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={inputId}>
        Id
      </label>
      <input
        id={inputId}
        className="input mono"
        value={draft}
        aria-invalid={problem !== undefined || undefined}
        aria-describedby={`${inputId}-problem`}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape') setDraft(id);
        }}
      />
      <p className="field__help">
        Unique in the job; also the Temporal activity id. Enter to rename.
      </p>
      {problem && (
        <p className="field__error" id={`${inputId}-problem`}>
          {problem}
        </p>
      )}
    </div>
  );
}
