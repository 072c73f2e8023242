import { memo } from 'react';
import { stateLabel } from '../editor/model/failures';
import type { RunOverlay } from '../editor/canvas/flow';
import './RunLegend.css';

const order = [
  'running',
  'succeeded',
  'failed',
  'failed (handled)',
  'failed (ignored)',
  'skipped',
  'cancelled',
  'pending',
] as const;

const swatch: Record<(typeof order)[number], string> = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  'failed (handled)': 'handled',
  'failed (ignored)': 'ignored',
  skipped: 'skipped',
  cancelled: 'cancelled',
  pending: 'pending',
};

/**
 * What the node colours mean, with how many tasks are in each state: a run that succeeded beside
 * red tasks says at once that those failures were handled or ignored.
 */
export const RunLegend = memo(function RunLegend({ tasks }: { tasks: Record<string, RunOverlay> }) {
  const counts = new Map<string, number>();
  for (const task of Object.values(tasks)) {
    const label = stateLabel(task.state, task.failure);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return (
    <ul className="run-legend" aria-label="Task states">
      {order
        .filter((label) => counts.has(label))
        .map((label) => (
          <li key={label}>
            <span className={`run-legend__swatch run-legend__swatch--${swatch[label]}`} />
            {label} <span className="run-legend__count">{counts.get(label)}</span>
          </li>
        ))}
    </ul>
  );
});
