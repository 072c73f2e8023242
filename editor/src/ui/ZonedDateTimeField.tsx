import { useState } from 'react';
import { fromZonedInput, toZonedInput, zoneLabel } from '../lib/zonedInput';
import { Field, type FieldProblem } from './Field';

interface ZonedDateTimeFieldProps {
  label: string;
  help?: string;
  /** The IANA zone the date-time is typed and shown in (named beside the field). */
  zone: string;
  /** An ISO instant, or undefined when the field is empty. */
  value: string | undefined;
  problems?: readonly FieldProblem[];
  onChange: (iso: string | undefined) => void;
}

/**
 * A date-time entered on the zone's clocks and kept as an instant. While the typed text is no
 * instant (half typed, or skipped by a daylight-saving jump) it stays on screen with the reason,
 * and the stored value is left as it was.
 */
export function ZonedDateTimeField(props: ZonedDateTimeFieldProps) {
  const { zone, value } = props;
  const [draft, setDraft] = useState<{ text: string; problem: string }>();
  const parsed = value === undefined ? undefined : fromZonedInput(toZonedInput(value, zone), zone);
  const local: FieldProblem[] = [];
  if (draft) local.push({ path: 'draft', message: `${draft.text} ${draft.problem}` });
  else if (
    parsed?.ok &&
    parsed.note &&
    value !== undefined &&
    parsed.instant === Date.parse(value)
  ) {
    local.push({ path: 'note', message: parsed.note, severity: 'warning' });
  }
  return (
    <Field
      label={props.label}
      help={props.help}
      aside={value === undefined ? zone : zoneLabel(zone, Date.parse(value))}
      problems={[...local, ...(props.problems ?? [])]}
    >
      {(control) => (
        <input
          {...control}
          className="input"
          type="datetime-local"
          value={draft?.text ?? toZonedInput(value, zone)}
          onChange={(event) => {
            const text = event.target.value;
            if (text === '') {
              setDraft(undefined);
              props.onChange(undefined);
              return;
            }
            const next = fromZonedInput(text, zone);
            if (next.ok) {
              setDraft(undefined);
              props.onChange(next.iso);
            } else setDraft({ text, problem: next.problem });
          }}
        />
      )}
    </Field>
  );
}
