import { useId, type ReactNode } from 'react';
import './Field.css';

/** A problem to show under a field: the engine's (with severity) or the API's (errors). */
export interface FieldProblem {
  path: string;
  message: string;
  severity?: 'error' | 'warning' | string;
}

/** What the control inside a field must carry so the label, help and problems reach it. */
export interface FieldControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

interface FieldProps {
  label: ReactNode;
  help?: ReactNode;
  problems?: readonly FieldProblem[];
  /** Prefix each problem with its JSON path (for API answers, where the path is the pointer). */
  showPaths?: boolean;
  /** Shown beside the control, e.g. the time zone a date-time is entered in. */
  aside?: ReactNode;
  children: (props: FieldControlProps) => ReactNode;
}

/** A labelled control with its help text and problems, wired up for assistive technology. */
export function Field({ label, help, problems = [], showPaths, aside, children }: FieldProps) {
  const id = useId();
  const invalid = problems.some((problem) => (problem.severity ?? 'error') === 'error');
  const describedBy = [
    aside !== undefined && `${id}-aside`,
    help !== undefined && `${id}-help`,
    problems.length > 0 && `${id}-problems`,
  ].filter(Boolean);
  const control = children({
    id,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy.length > 0 ? describedBy.join(' ') : undefined,
  });
  return (
    <div className={invalid ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {aside === undefined ? (
        control
      ) : (
        <div className="field__row">
          {control}
          <span className="field__aside" id={`${id}-aside`}>
            {aside}
          </span>
        </div>
      )}
      {help !== undefined && (
        <p className="field__help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {problems.length > 0 && (
        <ul className="field__problems" id={`${id}-problems`}>
          {problems.map((problem) => (
            <li
              key={problem.path + problem.message}
              className={`field__${problem.severity ?? 'error'}`}
            >
              {showPaths && <code className="field__path">{problem.path}</code>} {problem.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A choice: its value, or its value and the words shown for it. */
export type Choice = string | readonly [value: string, label: string];

/** The <option>s of a select. */
export function ChoiceOptions({ choices }: { choices: readonly Choice[] }) {
  return choices.map((choice) => {
    const [value, label] = typeof choice === 'string' ? [choice, choice] : choice;
    return (
      <option key={value} value={value}>
        {label}
      </option>
    );
  });
}

interface SelectFieldProps<Value extends string> {
  label: ReactNode;
  help?: ReactNode;
  problems?: readonly FieldProblem[];
  value: Value;
  choices: readonly Choice[];
  disabled?: boolean;
  onChange: (value: Value) => void;
}

/** A labelled select over a fixed list of choices. */
export function SelectField<Value extends string>(props: SelectFieldProps<Value>) {
  return (
    <Field label={props.label} help={props.help} problems={props.problems}>
      {(control) => (
        <select
          {...control}
          className="input"
          value={props.value}
          disabled={props.disabled}
          onChange={(event) => props.onChange(event.target.value as Value)}
        >
          <ChoiceOptions choices={props.choices} />
        </select>
      )}
    </Field>
  );
}

interface NumberFieldProps {
  label: ReactNode;
  problems?: readonly FieldProblem[];
  value: number | undefined;
  min?: number;
  max?: number;
  onChange: (value: number) => void;
}

/** A labelled whole-number input. */
export function NumberField(props: NumberFieldProps) {
  return (
    <Field label={props.label} problems={props.problems}>
      {(control) => (
        <input
          {...control}
          className="input"
          type="number"
          min={props.min}
          max={props.max}
          value={props.value ?? ''}
          onChange={(event) => props.onChange(Number(event.target.value))}
        />
      )}
    </Field>
  );
}
