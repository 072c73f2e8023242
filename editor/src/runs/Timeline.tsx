import { memo } from 'react';
import type { TaskView } from '@batchgraph/engine';
import { elapsed, formatDuration } from '../lib/format';
import './Timeline.css';

interface TimelineProps {
  tasks: Record<string, TaskView>;
  runStart: string;
  runEnd: string | undefined;
  now: number;
  selected: string | undefined;
  onSelect: (taskId: string) => void;
}

/** A Gantt chart of the run: one bar per task, from its first attempt's start to its end. */
export const Timeline = memo(function Timeline({
  tasks,
  runStart,
  runEnd,
  now,
  selected,
  onSelect,
}: TimelineProps) {
  const start = Date.parse(runStart);
  const span = Math.max(1, (runEnd ? Date.parse(runEnd) : now) - start);
  const rows = Object.entries(tasks)
    .filter(([, task]) => task.startedAt)
    .sort(([, a], [, b]) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!));
  const waiting = Object.values(tasks).length - rows.length;
  return (
    <section className="timeline" aria-label="Timeline">
      <h2 className="timeline__title">
        Timeline <span className="muted">{formatDuration(span)}</span>
      </h2>
      <ol className="timeline__rows">
        {rows.map(([id, task]) => {
          const offset = Date.parse(task.startedAt!) - start;
          const length = elapsed(task.startedAt, task.endedAt, now);
          return (
            <li key={id}>
              <button
                type="button"
                className={id === selected ? 'timeline__row timeline__row--on' : 'timeline__row'}
                onClick={() => onSelect(id)}
                aria-pressed={id === selected}
              >
                <span className="timeline__label">{id}</span>
                <span className="visually-hidden">
                  {`: ${task.state}, started after ${formatDuration(offset)}, `}
                </span>
                <span className="timeline__track">
                  <span
                    className={`timeline__bar timeline__bar--${task.state}`}
                    style={{
                      left: `${(100 * offset) / span}%`,
                      width: `max(3px, ${(100 * length) / span}%)`,
                    }}
                  />
                </span>
                <span className="timeline__time">
                  {formatDuration(length)}
                  {task.attempts > 1 ? ` ×${task.attempts}` : ''}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {waiting > 0 && (
        <p className="muted timeline__waiting">
          {waiting} task(s) without a start (pending or skipped).
        </p>
      )}
    </section>
  );
});
