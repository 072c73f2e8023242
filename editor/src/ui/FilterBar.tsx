import { useId, type ReactNode } from 'react';
import { ChoiceOptions, type Choice } from './Field';

export type Filter =
  | { kind: 'text'; name: string; label: string }
  | { kind: 'select'; name: string; label: string; choices: readonly Choice[] }
  /** A date-time on the browser's clock, labelled on screen (From, To). */
  | { kind: 'datetime'; name: string; label: string };

interface FilterBarProps {
  filters: readonly Filter[];
  values: Readonly<Record<string, string>>;
  onChange: (name: string, value: string) => void;
  /** Controls before the filters (e.g. a search box with its own behaviour). */
  lead?: ReactNode;
  /** Controls after the filters (e.g. bulk actions). */
  children?: ReactNode;
}

/** A list screen's search toolbar: one control per filter, its value kept by the caller. */
export function FilterBar({ filters, values, onChange, lead, children }: FilterBarProps) {
  return (
    <div className="toolbar" role="search">
      {lead}
      {filters.map((filter) => (
        <FilterControl
          key={filter.name}
          filter={filter}
          value={values[filter.name] ?? ''}
          onChange={(value) => onChange(filter.name, value)}
        />
      ))}
      {children}
    </div>
  );
}

function FilterControl(props: {
  filter: Filter;
  value: string;
  onChange: (value: string) => void;
}) {
  const { filter, value, onChange } = props;
  const id = useId();
  const onInput = (event: { target: { value: string } }) => onChange(event.target.value);
  return (
    <>
      <label htmlFor={id} className={filter.kind === 'datetime' ? 'muted' : 'visually-hidden'}>
        {filter.label}
      </label>
      {filter.kind === 'select' ? (
        <select id={id} className="input" value={value} onChange={onInput}>
          <ChoiceOptions choices={filter.choices} />
        </select>
      ) : (
        <input
          id={id}
          className="input"
          type={filter.kind === 'datetime' ? 'datetime-local' : 'text'}
          placeholder={filter.kind === 'text' ? filter.label : undefined}
          value={value}
          onChange={onInput}
        />
      )}
    </>
  );
}
