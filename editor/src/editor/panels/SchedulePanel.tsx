import { memo, useId, useMemo, useState, type ReactNode } from 'react';
import { overlapPolicies, presetCron, weekdays, type SchedulePreset } from '@batchgraph/engine';
import { formatInZone } from '../../lib/format';
import { getIn, type JobDoc } from '../model/document';
import type { ProblemIndex } from '../model/problems';
import { previewSchedule } from '../model/schedulePreview';
import {
  builderWeekdays,
  choicesToCron,
  cronToChoices,
  defaultChoices,
  type CronChoices,
} from './cronBuilder';
import './SchedulePanel.css';

type ScheduleDoc = NonNullable<JobDoc['schedule']>;
type Mode = 'preset' | 'builder' | 'cron' | 'interval';

interface SchedulePanelProps {
  schedule: ScheduleDoc | undefined;
  problems: ProblemIndex;
  readOnly: boolean;
  onChange: (schedule: ScheduleDoc | undefined, coalesce?: string) => void;
}

const zones = (() => {
  const list = Intl.supportedValuesOf('timeZone');
  return list.includes('UTC') ? list : ['UTC', ...list];
})();
const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function modeOf(schedule: ScheduleDoc): Mode {
  if (schedule.preset) return 'preset';
  if (schedule.interval) return 'interval';
  return 'cron';
}

/** Keeps a schedule's common settings and swaps its kind. */
function withKind(
  schedule: ScheduleDoc,
  kind: Pick<ScheduleDoc, 'cron' | 'preset' | 'interval'>,
): ScheduleDoc {
  const { cron: _cron, preset: _preset, interval: _interval, ...rest } = schedule;
  return { ...rest, ...kind };
}

function nextHour(): string {
  const date = new Date();
  date.setUTCMinutes(0, 0, 0);
  date.setUTCHours(date.getUTCHours() + 1);
  return date.toISOString().replace('.000Z', 'Z');
}

export const SchedulePanel = memo(function SchedulePanel({
  schedule,
  problems,
  readOnly,
  onChange,
}: SchedulePanelProps) {
  const [builder, setBuilder] = useState(false);
  const preview = useMemo(() => (schedule ? previewSchedule(schedule) : undefined), [schedule]);
  const enabledId = useId();

  if (!schedule) {
    return (
      <div className="schedule">
        <p className="muted">This job runs only when started by hand.</p>
        <button
          type="button"
          className="button"
          disabled={readOnly}
          onClick={() =>
            onChange({
              preset: { kind: 'daily', time: '02:00' },
              timezone: localZone,
              enabled: false,
            })
          }
        >
          Add a schedule
        </button>
      </div>
    );
  }
  const mode: Mode = builder && schedule.cron !== undefined ? 'builder' : modeOf(schedule);
  const setMode = (next: Mode) => {
    setBuilder(next === 'builder');
    if (next === mode) return;
    if (next === 'preset')
      onChange(withKind(schedule, { preset: { kind: 'daily', time: '02:00' } }));
    else if (next === 'interval')
      onChange(withKind(schedule, { interval: { every: 1, unit: 'hours', start: nextHour() } }));
    else {
      const cron =
        schedule.cron ??
        (schedule.preset
          ? presetCron(schedule.preset as SchedulePreset)
          : choicesToCron(defaultChoices));
      onChange(
        withKind(schedule, {
          cron: next === 'builder' && !cronToChoices(cron) ? choicesToCron(defaultChoices) : cron,
        }),
      );
    }
  };
  const field = (name: string) => problems.under(`$.schedule.${name}`);
  const set = (patch: Partial<ScheduleDoc>, coalesce?: string) =>
    onChange({ ...schedule, ...patch }, coalesce);

  return (
    <fieldset className="schedule" disabled={readOnly}>
      <legend className="visually-hidden">Schedule</legend>
      <div className="schedule__modes" role="radiogroup" aria-label="Kind of schedule">
        {(
          [
            ['preset', 'Preset'],
            ['builder', 'Cron builder'],
            ['cron', 'Cron expression'],
            ['interval', 'Interval'],
          ] as const
        ).map(([value, label]) => (
          <label
            key={value}
            className={mode === value ? 'schedule__mode schedule__mode--on' : 'schedule__mode'}
          >
            <input
              type="radio"
              name="schedule-mode"
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
            />
            {label}
          </label>
        ))}
      </div>
      {mode === 'preset' && schedule.preset && (
        <PresetFields
          preset={schedule.preset as SchedulePreset}
          onChange={(preset) => set({ preset }, 'schedule:preset')}
          problems={field('preset')}
        />
      )}
      {mode === 'builder' && schedule.cron !== undefined && (
        <BuilderFields cron={schedule.cron} onChange={(cron) => set({ cron })} />
      )}
      {(mode === 'cron' || mode === 'builder') && schedule.cron !== undefined && (
        <Field
          label="Cron expression"
          problems={field('cron')}
          help="Five fields (minute hour day month weekday) or six with seconds first."
        >
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={schedule.cron ?? ''}
              readOnly={mode === 'builder'}
              onChange={(event) => set({ cron: event.target.value }, 'schedule:cron')}
            />
          )}
        </Field>
      )}
      {mode === 'interval' && schedule.interval && (
        <IntervalFields
          interval={schedule.interval}
          problems={problems}
          onChange={(interval) => set({ interval }, 'schedule:interval')}
        />
      )}
      <Field
        label="Time zone"
        problems={field('timezone')}
        help="An IANA zone such as Europe/Berlin."
      >
        {(props) => (
          <>
            <input
              {...props}
              className="input"
              list={`${props.id}-zones`}
              value={schedule.timezone ?? ''}
              onChange={(event) => set({ timezone: event.target.value }, 'schedule:timezone')}
            />
            <datalist id={`${props.id}-zones`}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field
        label="When a run is still going"
        problems={field('overlap')}
        help="What to do when the next run is due while the previous one still runs."
      >
        {(props) => (
          <select
            {...props}
            className="input"
            value={schedule.overlap ?? 'skip'}
            onChange={(event) => set({ overlap: event.target.value as ScheduleDoc['overlap'] })}
          >
            {overlapPolicies.map((policy) => (
              <option key={policy} value={policy}>
                {policy.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        )}
      </Field>
      <label className="checkbox" htmlFor={enabledId}>
        <input
          id={enabledId}
          type="checkbox"
          checked={schedule.enabled ?? false}
          onChange={(event) => set({ enabled: event.target.checked })}
        />
        Enabled (a new schedule starts paused unless this is on)
      </label>
      <section className="schedule__preview" aria-label="Schedule preview" aria-live="polite">
        {preview?.problem ? (
          <p className="field__error">{preview.problem}</p>
        ) : (
          <>
            {preview?.description && <p className="schedule__words">{preview.description}</p>}
            {preview && preview.nextRuns.length > 0 && (
              <>
                <h3 className="schedule__heading">
                  Next {preview.nextRuns.length} runs ({schedule.timezone})
                </h3>
                <ol className="schedule__runs">
                  {preview.nextRuns.map((run) => (
                    <li key={run}>{formatInZone(run, schedule.timezone ?? 'UTC')}</li>
                  ))}
                </ol>
              </>
            )}
          </>
        )}
      </section>
      <button
        type="button"
        className="button button--small schedule__remove"
        onClick={() => onChange(undefined)}
      >
        Remove schedule
      </button>
    </fieldset>
  );
});

interface FieldControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby': string;
}

function Field({
  label,
  help,
  problems,
  children,
}: {
  label: string;
  help?: string;
  problems: { message: string; severity: string; path: string }[];
  children: (props: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const invalid = problems.some((problem) => problem.severity === 'error');
  return (
    <div className={invalid ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': invalid || undefined,
        'aria-describedby': `${id}-help ${id}-problems`,
      })}
      {help && (
        <p className="field__help" id={`${id}-help`}>
          {help}
        </p>
      )}
      <ul className="schema-form__problems" id={`${id}-problems`}>
        {problems.map((problem) => (
          <li key={problem.path + problem.message} className={`field__${problem.severity}`}>
            {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function PresetFields({
  preset,
  onChange,
  problems,
}: {
  preset: SchedulePreset;
  onChange: (preset: SchedulePreset) => void;
  problems: { message: string; severity: string; path: string }[];
}) {
  const time = 'time' in preset ? preset.time : '02:00';
  const change = (kind: SchedulePreset['kind']) => {
    if (kind === 'hourly') onChange({ kind, minute: 0 });
    else if (kind === 'daily') onChange({ kind, time });
    else if (kind === 'weekly') onChange({ kind, time, days: ['mon'] });
    else onChange({ kind, time, day: 1 });
  };
  return (
    <div className="schedule__group">
      <Field
        label="Repeat"
        problems={problems.filter((problem) => problem.path === '$.schedule.preset')}
      >
        {(props) => (
          <select
            {...props}
            className="input"
            value={preset.kind}
            onChange={(event) => change(event.target.value as SchedulePreset['kind'])}
          >
            <option value="hourly">Hourly</option>
            <option value="daily">Daily at</option>
            <option value="weekly">Weekly on days</option>
            <option value="monthly">Monthly on day</option>
          </select>
        )}
      </Field>
      {preset.kind === 'hourly' && (
        <Field
          label="Minute past the hour"
          problems={problems.filter((problem) => problem.path.endsWith('.minute'))}
        >
          {(props) => (
            <input
              {...props}
              className="input"
              type="number"
              min={0}
              max={59}
              value={preset.minute ?? 0}
              onChange={(event) => onChange({ ...preset, minute: Number(event.target.value) })}
            />
          )}
        </Field>
      )}
      {preset.kind === 'weekly' && (
        <fieldset className="schedule__days">
          <legend className="field__label">Days</legend>
          {weekdays.map((day) => (
            <label key={day} className="checkbox">
              <input
                type="checkbox"
                checked={preset.days.includes(day)}
                onChange={(event) =>
                  onChange({
                    ...preset,
                    days: event.target.checked
                      ? weekdays.filter((d) => d === day || preset.days.includes(d))
                      : preset.days.filter((d) => d !== day),
                  })
                }
              />
              {day}
            </label>
          ))}
        </fieldset>
      )}
      {preset.kind === 'monthly' && (
        <Field
          label="Day of the month"
          problems={problems.filter((problem) => problem.path.endsWith('.day'))}
        >
          {(props) => (
            <input
              {...props}
              className="input"
              type="number"
              min={1}
              max={31}
              value={preset.day}
              onChange={(event) => onChange({ ...preset, day: Number(event.target.value) })}
            />
          )}
        </Field>
      )}
      {preset.kind !== 'hourly' && (
        <Field label="Time" problems={problems.filter((problem) => problem.path.endsWith('.time'))}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="time"
              value={preset.time}
              onChange={(event) => onChange({ ...preset, time: event.target.value })}
            />
          )}
        </Field>
      )}
    </div>
  );
}

function BuilderFields({ cron, onChange }: { cron: string; onChange: (cron: string) => void }) {
  const choices = cronToChoices(cron) ?? defaultChoices;
  const set = (patch: Partial<CronChoices>) => onChange(choicesToCron({ ...choices, ...patch }));
  const part = (name: 'minute' | 'hour' | 'day' | 'month', label: string, max: number, min = 0) => (
    <Field label={label} problems={[]}>
      {(props) => (
        <select
          {...props}
          className="input"
          value={choices[name]}
          onChange={(event) => set({ [name]: event.target.value })}
        >
          <option value="*">Every</option>
          {Array.from({ length: max - min + 1 }, (_, i) => String(i + min)).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <div className="schedule__group schedule__builder">
      {part('minute', 'Minute', 59)}
      {part('hour', 'Hour', 23)}
      {part('day', 'Day of month', 31, 1)}
      {part('month', 'Month', 12, 1)}
      <fieldset className="schedule__days">
        <legend className="field__label">Weekdays (none = every day)</legend>
        {builderWeekdays.map((day) => (
          <label key={day} className="checkbox">
            <input
              type="checkbox"
              checked={choices.weekdays.includes(day)}
              onChange={(event) =>
                set({
                  weekdays: event.target.checked
                    ? builderWeekdays.filter((d) => d === day || choices.weekdays.includes(d))
                    : choices.weekdays.filter((d) => d !== day),
                })
              }
            />
            {day}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

type IntervalDoc = NonNullable<ScheduleDoc['interval']>;

/** ISO instant ↔ the value of a datetime-local input (in the browser's zone). */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
}

function IntervalFields({
  interval,
  problems,
  onChange,
}: {
  interval: IntervalDoc;
  problems: ProblemIndex;
  onChange: (interval: IntervalDoc) => void;
}) {
  const at = (name: string) => problems.under(`$.schedule.interval.${name}`);
  return (
    <div className="schedule__group schedule__interval">
      <Field label="Every" problems={at('every')}>
        {(props) => (
          <input
            {...props}
            className="input"
            type="number"
            min={1}
            value={interval.every}
            onChange={(event) => onChange({ ...interval, every: Number(event.target.value) })}
          />
        )}
      </Field>
      <Field label="Unit" problems={at('unit')}>
        {(props) => (
          <select
            {...props}
            className="input"
            value={interval.unit ?? 'minutes'}
            onChange={(event) =>
              onChange({ ...interval, unit: event.target.value as IntervalDoc['unit'] })
            }
          >
            {['seconds', 'minutes', 'hours', 'days'].map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Start"
        problems={at('start')}
        help="First run; later runs follow every interval after it (your local time)."
      >
        {(props) => (
          <input
            {...props}
            className="input"
            type="datetime-local"
            value={toLocalInput(interval.start)}
            onChange={(event) =>
              onChange({ ...interval, start: fromLocalInput(event.target.value) ?? interval.start })
            }
          />
        )}
      </Field>
      <Field label="End (optional)" problems={at('end')} help="No runs after this time.">
        {(props) => (
          <input
            {...props}
            className="input"
            type="datetime-local"
            value={toLocalInput(getIn(interval, ['end']) as string | undefined)}
            onChange={(event) => {
              const end = fromLocalInput(event.target.value);
              const { end: _old, ...rest } = interval;
              onChange(end ? { ...rest, end } : rest);
            }}
          />
        )}
      </Field>
    </div>
  );
}
