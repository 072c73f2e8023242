import { memo, useId, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import {
  intervalUnits,
  overlapPolicies,
  presetCron,
  timeZoneProblem,
  weekdays,
  type InputDeclaration,
  type SchedulePreset,
} from '@batchgraph/engine';
import { formatInZone } from '../../lib/format';
import { sameWallTime, usableZone } from '../../lib/zonedInput';
import { ScheduleActions } from '../../schedules/ScheduleActions';
import { Field, NumberField, SelectField, type FieldProblem } from '../../ui/Field';
import { ZonedDateTimeField } from '../../ui/ZonedDateTimeField';
import type { JobDoc } from '../model/document';
import type { ProblemIndex } from '../model/problems';
import { previewSchedule } from '../model/schedulePreview';
import {
  builderWeekdays,
  choicesToCron,
  cronToChoices,
  defaultChoices,
  type CronChoices,
} from './cronBuilder';
import { ScheduleInput } from './ScheduleInput';
import './SchedulePanel.css';

type ScheduleDoc = NonNullable<JobDoc['schedule']>;
type Mode = 'preset' | 'builder' | 'cron' | 'interval';

interface SchedulePanelProps {
  schedule: ScheduleDoc | undefined;
  /** The job's declared inputs: the schedule's input is edited against them. */
  inputs?: readonly InputDeclaration[];
  problems: ProblemIndex;
  readOnly: boolean;
  onChange: (schedule: ScheduleDoc | undefined, coalesce?: string) => void;
}

const NO_INPUTS: readonly InputDeclaration[] = [];

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
  inputs,
  problems,
  readOnly,
  onChange,
}: SchedulePanelProps) {
  // The route names the saved job; trigger and backfill act on its saved schedule.
  const { jobId } = useParams();
  return (
    <div className="schedule-panel">
      {schedule ? (
        <ScheduleFields
          schedule={schedule}
          inputs={inputs}
          problems={problems}
          readOnly={readOnly}
          onChange={onChange}
        />
      ) : (
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
      )}
      <ScheduleActions jobId={jobId} current={schedule} />
    </div>
  );
});

function ScheduleFields({
  schedule,
  inputs,
  problems,
  readOnly,
  onChange,
}: SchedulePanelProps & { schedule: ScheduleDoc }) {
  const [builder, setBuilder] = useState(false);
  const preview = useMemo(() => previewSchedule(schedule), [schedule]);
  const enabledId = useId();
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
      // An expression the builder cannot show is kept as it is: the builder explains it instead.
      if (cron !== schedule.cron) onChange(withKind(schedule, { cron }));
    }
  };
  const field = (name: string) => problems.under(`$.schedule.${name}`);
  const set = (patch: Partial<ScheduleDoc>, coalesce?: string) =>
    onChange({ ...schedule, ...patch }, coalesce);
  // While a new zone is being typed, start and end stay on the last valid zone's clock; once it
  // is valid they keep their wall-clock times there, as a calendar does when an event moves zone.
  const zone =
    timeZoneProblem(schedule.timezone ?? '') === undefined ? schedule.timezone : undefined;
  const [clockZone, setClockZone] = useState(usableZone(schedule.timezone));
  const wallZone = zone ?? clockZone;
  const setZone = (timezone: string) => {
    const valid = timeZoneProblem(timezone) === undefined;
    if (valid) setClockZone(timezone);
    const { interval } = schedule;
    const moved =
      valid && interval && timezone !== wallZone
        ? {
            ...interval,
            start: sameWallTime(interval.start, wallZone, timezone),
            ...(interval.end ? { end: sameWallTime(interval.end, wallZone, timezone) } : {}),
          }
        : interval;
    set({ timezone, ...(moved ? { interval: moved } : {}) }, 'schedule:timezone');
  };

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
          zone={wallZone}
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
              onChange={(event) => setZone(event.target.value)}
            />
            <datalist id={`${props.id}-zones`}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <SelectField<NonNullable<ScheduleDoc['overlap']>>
        label="When a run is still going"
        problems={field('overlap')}
        help="What to do when the next run is due while the previous one still runs."
        value={schedule.overlap ?? 'skip'}
        choices={overlapPolicies.map((policy) => [policy, policy.replaceAll('_', ' ')] as const)}
        onChange={(overlap) => set({ overlap })}
      />
      <label className="checkbox" htmlFor={enabledId}>
        <input
          id={enabledId}
          type="checkbox"
          checked={schedule.enabled ?? false}
          onChange={(event) => set({ enabled: event.target.checked })}
        />
        Enabled (a new schedule starts paused unless this is on)
      </label>
      <ScheduleInput
        declarations={inputs ?? NO_INPUTS}
        value={schedule.input}
        problems={problems}
        onChange={(input) => {
          const { input: _old, ...rest } = schedule;
          onChange(input === undefined ? rest : { ...rest, input }, 'field:schedule.input');
        }}
      />
      <section className="schedule__preview" aria-label="Schedule preview" aria-live="polite">
        {preview.problem ? (
          <p className="field__error">{preview.problem}</p>
        ) : (
          <>
            {preview.description && <p className="schedule__words">{preview.description}</p>}
            {preview.nextRuns.length > 0 && (
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
}

const endsWith = (problems: readonly FieldProblem[], suffix: string) =>
  problems.filter((problem) => problem.path.endsWith(suffix));

function PresetFields({
  preset,
  onChange,
  problems,
}: {
  preset: SchedulePreset;
  onChange: (preset: SchedulePreset) => void;
  problems: readonly FieldProblem[];
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
      <SelectField<SchedulePreset['kind']>
        label="Repeat"
        problems={problems.filter((problem) => problem.path === '$.schedule.preset')}
        value={preset.kind}
        choices={[
          ['hourly', 'Hourly'],
          ['daily', 'Daily at'],
          ['weekly', 'Weekly on days'],
          ['monthly', 'Monthly on day'],
        ]}
        onChange={change}
      />
      {preset.kind === 'hourly' && (
        <NumberField
          label="Minute past the hour"
          problems={endsWith(problems, '.minute')}
          min={0}
          max={59}
          value={preset.minute ?? 0}
          onChange={(minute) => onChange({ ...preset, minute })}
        />
      )}
      {preset.kind === 'weekly' && (
        <DayChecks
          legend="Days"
          days={weekdays}
          chosen={preset.days}
          onChange={(days) => onChange({ ...preset, days: days as typeof preset.days })}
        />
      )}
      {preset.kind === 'monthly' && (
        <NumberField
          label="Day of the month"
          problems={endsWith(problems, '.day')}
          min={1}
          max={31}
          value={preset.day}
          onChange={(day) => onChange({ ...preset, day })}
        />
      )}
      {preset.kind !== 'hourly' && (
        <Field label="Time" problems={endsWith(problems, '.time')}>
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

/** Checkboxes for days of the week; the result keeps the week's order. */
function DayChecks({
  legend,
  days,
  chosen,
  onChange,
}: {
  legend: string;
  days: readonly string[];
  chosen: readonly string[];
  onChange: (days: string[]) => void;
}) {
  return (
    <fieldset className="schedule__days">
      <legend className="field__label">{legend}</legend>
      {days.map((day) => (
        <label key={day} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(day)}
            onChange={(event) =>
              onChange(days.filter((d) => (d === day ? event.target.checked : chosen.includes(d))))
            }
          />
          {day}
        </label>
      ))}
    </fieldset>
  );
}

function BuilderFields({ cron, onChange }: { cron: string; onChange: (cron: string) => void }) {
  const parsed = cronToChoices(cron);
  if (!parsed) return <BuilderCannotShow cron={cron} onStartOver={onChange} />;
  const choices = parsed;
  const set = (patch: Partial<CronChoices>) => onChange(choicesToCron({ ...choices, ...patch }));
  const part = (name: 'minute' | 'hour' | 'day' | 'month', label: string, max: number, min = 0) => (
    <SelectField
      label={label}
      value={choices[name]}
      choices={[
        ['*', 'Every'],
        ...Array.from({ length: max - min + 1 }, (_, i) => String(i + min)),
      ]}
      onChange={(value) => set({ [name]: value })}
    />
  );
  return (
    <div className="schedule__group schedule__builder">
      {part('minute', 'Minute', 59)}
      {part('hour', 'Hour', 23)}
      {part('day', 'Day of month', 31, 1)}
      {part('month', 'Month', 12, 1)}
      <DayChecks
        legend="Weekdays (none = every day)"
        days={builderWeekdays}
        chosen={choices.weekdays}
        onChange={(days) => set({ weekdays: days })}
      />
    </div>
  );
}

/**
 * The builder writes single values and weekday names only; steps, ranges and lists of numbers
 * stay editable as an expression, and starting over in the builder is the user's explicit choice.
 */
function BuilderCannotShow({
  cron,
  onStartOver,
}: {
  cron: string;
  onStartOver: (cron: string) => void;
}) {
  return (
    <div className="schedule__group schedule__builder-note" role="note">
      <p>
        The builder cannot show <code>{cron}</code>: it uses steps, ranges or lists the builder has
        no fields for. Edit it as an expression below, or start over in the builder.
      </p>
      <button
        type="button"
        className="button button--small"
        onClick={() => onStartOver(choicesToCron(defaultChoices))}
      >
        Start over in the builder
      </button>
    </div>
  );
}

type IntervalDoc = NonNullable<ScheduleDoc['interval']>;

function IntervalFields({
  interval,
  zone,
  problems,
  onChange,
}: {
  interval: IntervalDoc;
  /** The schedule's zone: start and end are typed and shown on its clock. */
  zone: string;
  problems: ProblemIndex;
  onChange: (interval: IntervalDoc) => void;
}) {
  const at = (name: string) => problems.under(`$.schedule.interval.${name}`);
  return (
    <div className="schedule__group schedule__interval">
      <NumberField
        label="Every"
        problems={at('every')}
        min={1}
        value={interval.every}
        onChange={(every) => onChange({ ...interval, every })}
      />
      <SelectField<NonNullable<IntervalDoc['unit']>>
        label="Unit"
        problems={at('unit')}
        value={interval.unit ?? 'minutes'}
        choices={intervalUnits}
        onChange={(unit) => onChange({ ...interval, unit })}
      />
      <ZonedDateTimeField
        label="Start"
        zone={zone}
        problems={at('start')}
        help="First run; later runs follow every interval after it."
        value={interval.start}
        onChange={(start) => onChange({ ...interval, start: start ?? interval.start })}
      />
      <ZonedDateTimeField
        label="End (optional)"
        zone={zone}
        problems={at('end')}
        help="No runs after this time."
        value={interval.end}
        onChange={(end) => {
          const { end: _old, ...rest } = interval;
          onChange(end ? { ...rest, end } : rest);
        }}
      />
    </div>
  );
}
