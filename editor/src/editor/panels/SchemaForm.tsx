/**
 * A form generated from a JSON Schema: one control per property, chosen by the property's type,
 * labelled with its `.meta()` title and help, showing the engine's problems for that path.
 */
import { memo, useId, useState } from 'react';
import { jsonPath } from '@batchgraph/engine';
import { getIn } from '../model/document';
import type { EditorProblem, ProblemIndex } from '../model/problems';
import { useFieldSuggestions } from './fieldSuggestions';
import { discriminatedVariants, widgetFor, type JsonSchema } from './jsonSchema';
import './SchemaForm.css';

export type Segment = string | number;
export type FieldChange = (path: Segment[], value: unknown) => void;

interface SchemaFormProps {
  schema: JsonSchema;
  /** The object being edited (e.g. a task's params). */
  value: unknown;
  /** Where `value` sits in the job document, for problem paths: ['tasks', 2, 'params']. */
  path: Segment[];
  problems: ProblemIndex;
  onChange: FieldChange;
  /** Properties edited elsewhere: not drawn here, and their problems are not shown here. */
  hidden?: readonly string[];
}

export const SchemaForm = memo(function SchemaForm(props: SchemaFormProps) {
  const all = Object.entries(props.schema.properties ?? {});
  const known = new Set(all.map(([key]) => key));
  const properties = all.filter(([key]) => !props.hidden?.includes(key));
  const base = jsonPath(props.path);
  // Problems on the object itself or on fields the schema does not have (unknown fields).
  const stray = props.problems.under(base).filter((problem) => {
    const rest = problem.path.slice(base.length);
    if (rest === '') return true;
    const key = /^\.([A-Za-z_$][\w$]*)|^\["([^"]+)"\]/.exec(rest);
    return key !== null && !known.has(key[1] ?? key[2] ?? '');
  });
  return (
    <div className="schema-form">
      <ProblemList problems={stray} />
      {properties.map(([key, schema]) => (
        <SchemaField
          key={key}
          name={key}
          schema={schema}
          required={props.schema.required?.includes(key) ?? false}
          value={getIn(props.value, [key])}
          path={[...props.path, key]}
          problems={props.problems}
          onChange={props.onChange}
        />
      ))}
    </div>
  );
});

interface FieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  path: Segment[];
  problems: ProblemIndex;
  onChange: FieldChange;
}

function ProblemList({ problems, id }: { problems: EditorProblem[]; id?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field__problems" id={id}>
      {problems.map((problem) => (
        <li key={`${problem.path}:${problem.code}`} className={`field__${problem.severity}`}>
          {problem.message}
        </li>
      ))}
    </ul>
  );
}

/** A field's help text and problems, under ids its control names in aria-describedby. */
function FieldNotes(props: { id: string; help: string; problems: EditorProblem[] }) {
  return (
    <>
      {props.help && (
        <p className="field__help" id={`${props.id}-help`}>
          {props.help}
        </p>
      )}
      <ProblemList problems={props.problems} id={`${props.id}-problems`} />
    </>
  );
}

export function SchemaField(props: FieldProps) {
  const { schema, value, path, onChange } = props;
  const id = useId();
  const widget = widgetFor(schema);
  const here = jsonPath(path);
  const problems =
    widget === 'object' || widget === 'variant'
      ? props.problems.all.filter((problem) => problem.path === here)
      : props.problems.under(here);
  const invalid = problems.some((problem) => problem.severity === 'error');
  const title = schema.title ?? props.name;
  const help = [schema.description, defaultText(schema)].filter(Boolean).join(' ');
  const describedBy = `${id}-help ${id}-problems`;
  const set = (next: unknown) => onChange(path, next);
  const suggestions = useFieldSuggestions(path);
  const common = {
    id,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy,
  };

  if (widget === 'object' || widget === 'variant') {
    return (
      <fieldset className={invalid ? 'field fieldset field--invalid' : 'field fieldset'}>
        <legend className="field__label">{title}</legend>
        <FieldNotes id={id} help={help} problems={problems} />
        {widget === 'object' ? (
          <SchemaForm
            schema={schema}
            value={value}
            path={path}
            problems={props.problems}
            onChange={onChange}
          />
        ) : (
          <VariantInput {...props} />
        )}
      </fieldset>
    );
  }

  let control;
  switch (widget) {
    case 'boolean':
      return (
        <div className={invalid ? 'field field--invalid' : 'field'}>
          <label className="checkbox">
            <input
              type="checkbox"
              {...common}
              checked={value === true}
              onChange={(event) => set(event.target.checked ? true : undefined)}
            />
            {title}
          </label>
          <FieldNotes id={id} help={help} problems={problems} />
        </div>
      );
    case 'enum':
      control = (
        <select
          {...common}
          className="input"
          value={value === undefined ? '' : String(value)}
          onChange={(event) => set(event.target.value === '' ? undefined : event.target.value)}
        >
          {!props.required && (
            <option value="">
              {schema.default === undefined ? '—' : `Default (${String(schema.default)})`}
            </option>
          )}
          {schema.enum?.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      control = (
        <input
          {...common}
          className="input"
          type="number"
          step={schema.type === 'integer' ? 1 : 'any'}
          placeholder={schema.default === undefined ? '' : String(schema.default)}
          value={typeof value === 'number' ? value : value === undefined ? '' : String(value)}
          onChange={(event) =>
            set(event.target.value === '' ? undefined : Number(event.target.value))
          }
        />
      );
      break;
    case 'text':
      control = (
        <>
          <input
            {...common}
            className="input"
            type="text"
            list={suggestions ? `${id}-suggestions` : undefined}
            placeholder={schema.default === undefined ? '' : String(schema.default)}
            value={
              typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)
            }
            onChange={(event) =>
              set(event.target.value === '' && !props.required ? undefined : event.target.value)
            }
          />
          {suggestions && (
            <datalist id={`${id}-suggestions`}>
              {suggestions.map((suggestion) => (
                <option key={suggestion} value={suggestion} />
              ))}
            </datalist>
          )}
        </>
      );
      break;
    case 'longtext':
      control = (
        <textarea
          {...common}
          className="input input--prose"
          rows={4}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => set(event.target.value === '' ? undefined : event.target.value)}
        />
      );
      break;
    case 'list':
      control = <ListInput {...common} schema={schema} value={value} onChange={set} />;
      break;
    case 'record':
      control = <RecordInput id={id} label={title} value={value} onChange={set} />;
      break;
    default:
      control = <JsonInput {...common} schema={schema} value={value} onChange={set} />;
  }
  return (
    <div className={invalid ? 'field field--invalid' : 'field'}>
      {widget === 'record' ? (
        <span className="field__label" id={`${id}-label`}>
          {title}
          {props.required && <span aria-hidden="true"> *</span>}
        </span>
      ) : (
        <label className="field__label" htmlFor={id}>
          {title}
          {props.required && <span aria-hidden="true"> *</span>}
        </label>
      )}
      {control}
      <FieldNotes id={id} help={help} problems={problems} />
    </div>
  );
}

function defaultText(schema: JsonSchema): string {
  if (
    schema.default === undefined ||
    (Array.isArray(schema.default) && schema.default.length === 0)
  )
    return '';
  return `Default: ${JSON.stringify(schema.default)}.`;
}

interface ControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby': string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
}

/**
 * The text typed for a value the document holds as something else (a list, JSON). It follows the
 * document when that changes from elsewhere (undo, another field); `type` records the text and
 * how the document will show what it means, so typing is not overwritten by its own echo.
 */
function useDraftText(shown: string): [string, (text: string, meaning: string) => void] {
  const [text, setText] = useState(shown);
  const [seen, setSeen] = useState(shown);
  if (shown !== seen) {
    setSeen(shown);
    setText(shown);
  }
  const type = (next: string, meaning: string) => {
    setText(next);
    setSeen(meaning);
  };
  return [text, type];
}

/** A list of strings or numbers, one per line. */
function ListInput({ schema, value, onChange, ...aria }: ControlProps) {
  const numeric = schema.items?.type === 'integer' || schema.items?.type === 'number';
  const [text, type] = useDraftText(Array.isArray(value) ? value.map(String).join('\n') : '');
  return (
    <textarea
      {...aria}
      className="input"
      rows={Math.min(6, Math.max(2, text.split('\n').length))}
      placeholder="One per line"
      value={text}
      onChange={(event) => {
        const next = event.target.value;
        const items = next
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .map((line) =>
            numeric && line !== '' && !Number.isNaN(Number(line)) ? Number(line) : line,
          );
        type(next, items.map(String).join('\n'));
        onChange(items.length === 0 && schema.default === undefined ? undefined : items);
      }}
    />
  );
}

const jsonText = (value: unknown): string =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);

/** Any JSON value; text that is not JSON is kept as a string (templates, plain text). */
function JsonInput({ schema, value, onChange, ...aria }: ControlProps) {
  const [text, type] = useDraftText(jsonText(value));
  return (
    <textarea
      {...aria}
      className="input"
      rows={Math.min(10, Math.max(2, text.split('\n').length))}
      placeholder={schema.description ? 'JSON or text' : 'JSON'}
      value={text}
      onChange={(event) => {
        const next = event.target.value;
        const parsed = parseJsonOrText(next);
        type(next, jsonText(parsed));
        onChange(parsed);
      }}
    />
  );
}

/** A string → string map as rows of name and value. */
function RecordInput({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const entries = Object.entries(
    typeof value === 'object' && value !== null ? (value as Record<string, string>) : {},
  );
  const write = (next: [string, string][]) =>
    onChange(next.length === 0 ? undefined : Object.fromEntries(next));
  return (
    <div className="record" role="group" aria-labelledby={`${id}-label`}>
      {entries.map(([key, item], index) => (
        <div className="record__row" key={index}>
          <input
            className="input"
            aria-label={`${label}: name ${index + 1}`}
            value={key}
            onChange={(event) =>
              write(
                entries.map((entry, i) => (i === index ? [event.target.value, entry[1]] : entry)),
              )
            }
          />
          <input
            className="input"
            aria-label={`${label}: value ${index + 1}`}
            value={String(item)}
            onChange={(event) =>
              write(
                entries.map((entry, i) => (i === index ? [entry[0], event.target.value] : entry)),
              )
            }
          />
          <button
            type="button"
            className="button button--small button--ghost"
            aria-label={`Remove ${label} ${key || index + 1}`}
            onClick={() => write(entries.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button--small"
        aria-label={`Add ${label} entry`}
        onClick={() =>
          write([
            ...entries,
            [entries.some(([key]) => key === '') ? `name${entries.length + 1}` : '', ''],
          ])
        }
      >
        Add
      </button>
    </div>
  );
}

/** A discriminated union (e.g. a foreach's per-item task): pick the variant, then its fields. */
function VariantInput({ schema, value, path, problems, onChange, name }: FieldProps) {
  const id = useId();
  const variants = discriminatedVariants(schema) ?? [];
  const tag = getIn(value, ['type']);
  const current = variants.find((variant) => variant.tag === tag);
  return (
    <>
      <div className="field">
        <label className="field__label" htmlFor={id}>
          {`${schema.title ?? name}: type`}
        </label>
        <select
          id={id}
          className="input"
          value={typeof tag === 'string' ? tag : ''}
          onChange={(event) => onChange(path, { type: event.target.value, params: {} })}
        >
          {!current && <option value="">Choose…</option>}
          {variants.map((variant) => (
            <option key={variant.tag} value={variant.tag}>
              {variant.tag}
            </option>
          ))}
        </select>
      </div>
      {current && (
        <SchemaForm
          schema={{
            ...current.schema,
            properties: Object.fromEntries(
              Object.entries(current.schema.properties ?? {}).filter(([key]) => key !== 'type'),
            ),
          }}
          value={value}
          path={path}
          problems={problems}
          onChange={onChange}
        />
      )}
    </>
  );
}

function parseJsonOrText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
