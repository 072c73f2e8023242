/**
 * The schedule's input in the schedule panel: a form generated from the job's declared inputs
 * (the engine's runInputSchema), at `$.schedule.input`, so what every scheduled run and "Run
 * schedule now" get is visible and editable, with the validator's problems on each field.
 */
import type { InputDeclaration } from '@batchgraph/engine';
import { setIn } from '../model/document';
import type { ProblemIndex } from '../model/problems';
import { runInputJsonSchema } from './jsonSchema';
import { SchemaForm, type Segment } from './SchemaForm';

interface ScheduleInputProps {
  declarations: readonly InputDeclaration[];
  value: unknown;
  problems: ProblemIndex;
  onChange: (input: Record<string, unknown> | undefined) => void;
}

const AT: Segment[] = ['schedule', 'input'];

export function ScheduleInput({ declarations, value, problems, onChange }: ScheduleInputProps) {
  if (declarations.length === 0) {
    return <p className="muted">The job declares no inputs, so its scheduled runs get none.</p>;
  }
  const change = (path: Segment[], next: unknown) => {
    const input = setIn(value, path.slice(AT.length), next) as Record<string, unknown>;
    onChange(Object.keys(input).length > 0 ? input : undefined);
  };
  return (
    <section aria-label="Schedule input">
      <h3 className="schedule__heading">Input of each scheduled run</h3>
      <p className="muted">Inputs left empty take their declared defaults.</p>
      <SchemaForm
        schema={runInputJsonSchema(declarations)}
        value={value}
        path={AT}
        problems={problems}
        onChange={change}
      />
    </section>
  );
}
