import { overlapPolicies, type OverlapPolicy } from '@batchgraph/engine';
import { SelectField } from '../ui/Field';

export type OverlapChoice = OverlapPolicy | '';

/** The overlap policy for a trigger or backfill; '' keeps the schedule's own. */
export function OverlapField(props: {
  schedulePolicy: OverlapPolicy;
  value: OverlapChoice;
  onChange: (value: OverlapChoice) => void;
}) {
  return (
    <SelectField<OverlapChoice>
      label="When a run is still going"
      help="What to do when a run this starts meets one still running."
      value={props.value}
      choices={[
        ['', `As the schedule says (${props.schedulePolicy.replaceAll('_', ' ')})`],
        ...overlapPolicies.map((policy) => [policy, policy.replaceAll('_', ' ')] as const),
      ]}
      onChange={props.onChange}
    />
  );
}
