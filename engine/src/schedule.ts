/**
 * A job's schedule: a cron expression (5 or 6 fields), a preset (hourly, daily at, weekly on,
 * monthly on) or an interval from a start time (like APScheduler's interval trigger), in an IANA
 * time zone, plus the Temporal Schedule policies (overlap, catch-up window, run limit).
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import cronstrue from 'cronstrue';
import { z } from 'zod';
import { clockShiftNear, formatInZone, formatWallShort, instantsAt, wallTime } from './zoned-time';

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)')
  .meta({ title: 'Time', description: 'HH:MM, 24-hour, in the schedule’s time zone.' });

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const presetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('hourly'),
    minute: z.number().int().min(0).max(59).default(0).meta({ title: 'Minute past the hour' }),
  }),
  z.strictObject({ kind: z.literal('daily'), time: timeOfDay }),
  z.strictObject({
    kind: z.literal('weekly'),
    days: z.array(z.enum(weekdays)).min(1).meta({ title: 'Days' }),
    time: timeOfDay,
  }),
  z.strictObject({
    kind: z.literal('monthly'),
    day: z.number().int().min(1).max(31).meta({ title: 'Day of the month' }),
    time: timeOfDay,
  }),
]);

export const intervalUnits = ['seconds', 'minutes', 'hours', 'days'] as const;

export const intervalSchema = z.strictObject({
  every: z.number().int().positive().meta({ title: 'Every' }),
  unit: z.enum(intervalUnits).default('minutes').meta({ title: 'Unit' }),
  start: z.iso.datetime({ offset: true }).meta({
    title: 'Start',
    description: 'First run; later runs follow every interval after it.',
  }),
  end: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ title: 'End', description: 'No runs after this time.' }),
});

export const overlapPolicies = [
  'skip',
  'buffer_one',
  'buffer_all',
  'cancel_other',
  'terminate_other',
  'allow_all',
] as const;

export const scheduleSchema = z
  .strictObject({
    cron: z
      .string()
      .superRefine((expression, ctx) => {
        const problem = cronExpressionProblem(expression);
        if (problem)
          ctx.addIssue({ code: 'custom', params: { code: 'invalid_cron' }, message: problem });
      })
      .optional()
      .meta({
        title: 'Cron expression',
        description: 'Five fields (minute hour day month weekday) or six with seconds first.',
      }),
    preset: presetSchema.optional(),
    interval: intervalSchema.optional(),
    timezone: z
      .string()
      .superRefine((zone, ctx) => {
        const problem = timeZoneProblem(zone);
        if (problem)
          ctx.addIssue({ code: 'custom', params: { code: 'invalid_timezone' }, message: problem });
      })
      .default('UTC')
      .meta({ title: 'Time zone', description: 'An IANA zone such as Europe/Berlin.' }),
    enabled: z.boolean().default(false).meta({
      title: 'Enabled',
      description: 'A new schedule starts paused unless this is on.',
    }),
    overlap: z.enum(overlapPolicies).default('skip').meta({
      title: 'When a run is still going',
      description: 'What to do when the next run is due while the previous one still runs.',
    }),
    catchupWindowSeconds: z.number().int().min(60).optional().meta({
      title: 'Catch-up window (s)',
      description: 'Runs missed while the scheduler was down are made up within this window.',
    }),
    maxRuns: z.number().int().positive().optional().meta({
      title: 'End after N runs',
    }),
    input: z.unknown().optional().meta({
      title: 'Run input',
      description: 'Input given to every scheduled run.',
    }),
  })
  .superRefine((schedule, ctx) => {
    const kinds = (['cron', 'preset', 'interval'] as const).filter(
      (k) => schedule[k] !== undefined,
    );
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        params: { code: 'invalid_schedule' },
        message:
          kinds.length === 0
            ? 'needs one of cron, preset or interval'
            : `has ${kinds.join(' and ')}; choose exactly one of cron, preset or interval`,
      });
    }
    const { interval } = schedule;
    if (interval?.end !== undefined && Date.parse(interval.end) <= Date.parse(interval.start)) {
      ctx.addIssue({
        code: 'custom',
        path: ['interval', 'end'],
        params: { code: 'invalid_value' },
        message: 'must be after the start',
      });
    }
  });

export type Schedule = z.output<typeof scheduleSchema>;
export type SchedulePreset = z.output<typeof presetSchema>;
export type ScheduleInterval = z.output<typeof intervalSchema>;
export type OverlapPolicy = (typeof overlapPolicies)[number];
export type IntervalUnit = (typeof intervalUnits)[number];

/** Why a cron expression is invalid, in a sentence, or undefined when it is valid. */
export function cronExpressionProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `"${expression}" has ${fields.length} fields; a cron expression has 5 (minute hour day month weekday) or 6 (seconds first)`;
  }
  if (fields.some((field) => field.split(',').some((part) => /^h/i.test(part)))) {
    return `"${expression}" uses H (a hashed value), which picks a different time on every parse; write the value`;
  }
  let parsed: CronExpression;
  try {
    parsed = CronExpressionParser.parse(expression, { strict: false });
  } catch (error) {
    return `"${expression}" is not a valid cron expression: ${(error as Error).message}`;
  }
  const { dayOfMonth, dayOfWeek } = parsed.fields;
  if (dayOfMonth.hasLastChar || dayOfWeek.hasLastChar || dayOfWeek.nthDay > 0) {
    return `"${expression}" uses L or #, which Temporal Schedules cannot express; list the days instead`;
  }
  return undefined;
}

/** Why a time zone is invalid, in a sentence, or undefined when it is a known IANA zone. */
export function timeZoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `"${zone}" is not a known IANA time zone (for example Europe/Berlin or America/New_York)`;
  }
}

/** The cron expression a preset stands for. */
export function presetCron(preset: SchedulePreset): string {
  if (preset.kind === 'hourly') return `${preset.minute} * * * *`;
  const [hour, minute] = preset.time.split(':').map(Number);
  switch (preset.kind) {
    case 'daily':
      return `${minute} ${hour} * * *`;
    case 'weekly':
      return `${minute} ${hour} * * ${preset.days.join(',')}`;
    case 'monthly':
      return `${minute} ${hour} ${preset.day} * *`;
  }
}

/** The cron expression of a cron or preset schedule; undefined for an interval. */
export function scheduleCron(schedule: Schedule): string | undefined {
  if (schedule.cron !== undefined) return schedule.cron;
  if (schedule.preset !== undefined) return presetCron(schedule.preset);
  return undefined;
}

/** Thrown when a schedule that did not pass validation is previewed or translated. */
export class ScheduleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScheduleError';
  }
}

const unitMs: Record<IntervalUnit, number> = {
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/** An interval's length in milliseconds; `days` are 24 hours of elapsed time, whatever the zone. */
export function intervalMs(interval: ScheduleInterval): number {
  return interval.every * unitMs[interval.unit];
}

function parseCron(expression: string): CronExpression {
  try {
    return CronExpressionParser.parse(expression, { strict: false, tz: 'UTC' });
  } catch (cause) {
    throw new ScheduleError(`"${expression}" is not a valid cron expression`, { cause });
  }
}

function cronOf(schedule: Schedule): string {
  const expression = scheduleCron(schedule);
  if (expression === undefined) {
    throw new ScheduleError('the schedule has no cron, preset or interval');
  }
  return expression;
}

/** Wall times a cron expression steps through before giving up (a guard, never reached in use). */
const MAX_CRON_STEPS = 200_000;

/**
 * The next `count` times a schedule fires strictly after `from`, as ISO strings with the offset
 * of the schedule's zone (`2026-03-29T03:30:00+02:00`).
 *
 * Cron and preset schedules match the zone's wall clock the way Temporal does: a time that falls in
 * a daylight-saving gap does not fire that day, and a time that occurs twice fires twice. Interval
 * schedules fire at start + k·every (k ≥ 0) up to and including `end`.
 */
export function nextRuns(
  schedule: Schedule,
  count: number,
  from: Date | string = new Date(),
): string[] {
  const after = typeof from === 'string' ? Date.parse(from) : from.getTime();
  if (Number.isNaN(after)) throw new ScheduleError(`"${String(from)}" is not a date`);
  const zone = schedule.timezone;
  const instants =
    schedule.interval !== undefined
      ? intervalRuns(schedule.interval, count, after)
      : cronRuns(cronOf(schedule), zone, count, after);
  return instants.map((instant) => formatInZone(instant, zone));
}

function intervalRuns(interval: ScheduleInterval, count: number, after: number): number[] {
  const start = Date.parse(interval.start);
  const end = interval.end === undefined ? Infinity : Date.parse(interval.end);
  const every = intervalMs(interval);
  let step = after < start ? 0 : Math.floor((after - start) / every) + 1;
  const runs: number[] = [];
  for (
    let at = start + step * every;
    runs.length < count && at <= end;
    at = start + ++step * every
  ) {
    runs.push(at);
  }
  return runs;
}

/**
 * Steps cron-parser through wall times (in UTC, where clocks never jump) and maps each onto the
 * instants the zone's clocks show it. Near a backward jump a later wall time can map to an earlier
 * instant, so stepping goes on until no wall time left could still land among the first `count`.
 */
function cronRuns(expression: string, zone: string, count: number, after: number): number[] {
  if (count <= 0) return [];
  const startWall = wallTime(after, zone) - clockShiftNear(after, zone) - 1000;
  const cron = CronExpressionParser.parse(expression, {
    strict: false,
    tz: 'UTC',
    currentDate: new Date(startWall),
  });
  const runs: number[] = [];
  for (let step = 0; step < MAX_CRON_STEPS; step++) {
    if (!cron.hasNext()) break;
    const wall = cron.next().getTime();
    if (runs.length >= count) {
      const last = runs[count - 1]!;
      if (wall > wallTime(last, zone) + clockShiftNear(last, zone)) break;
    }
    for (const instant of instantsAt(wall, zone)) if (instant > after) runs.push(instant);
    runs.sort((a, b) => a - b);
  }
  return runs.slice(0, count);
}

/**
 * A sentence for people: "At 02:00 AM, Europe/Berlin",
 * "Every 15 minutes from 2026-01-01 08:00 until 2026-03-01 (Europe/Berlin)".
 */
export function describeSchedule(schedule: Schedule): string {
  const zone = schedule.timezone;
  const { interval } = schedule;
  if (interval !== undefined) {
    const unit = interval.every === 1 ? interval.unit.slice(0, -1) : interval.unit;
    const every = interval.every === 1 ? `Every ${unit}` : `Every ${interval.every} ${unit}`;
    const start = formatWallShort(Date.parse(interval.start), zone);
    const end =
      interval.end === undefined ? '' : ` until ${formatWallShort(Date.parse(interval.end), zone)}`;
    return `${every} from ${start}${end} (${zone})`;
  }
  const expression = cronOf(schedule);
  let text: string;
  try {
    text = cronstrue.toString(expression);
  } catch {
    text = `Cron ${expression}`;
  }
  return `${text}, ${zone}`;
}

/** Temporal's month and weekday names (`@temporalio/client` MONTHS and DAYS_OF_WEEK). */
export const temporalMonths = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
] as const;
export const temporalDaysOfWeek = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
] as const;
export type TemporalMonth = (typeof temporalMonths)[number];
export type TemporalDayOfWeek = (typeof temporalDaysOfWeek)[number];

/** `@temporalio/client` Range: start to end inclusive, every `step`. */
export interface TemporalRange<Unit> {
  start: Unit;
  end: Unit;
  step: number;
}

/** One field of a CalendarSpec: ranges, or '*' for every value. */
export type TemporalCalendarField<Unit> = TemporalRange<Unit>[] | '*';

/** `@temporalio/client` CalendarSpec (the fields this engine sets). */
export interface TemporalCalendarSpec {
  second?: TemporalCalendarField<number>;
  minute?: TemporalCalendarField<number>;
  hour?: TemporalCalendarField<number>;
  dayOfMonth?: TemporalCalendarField<number>;
  month?: TemporalCalendarField<TemporalMonth>;
  dayOfWeek?: TemporalCalendarField<TemporalDayOfWeek>;
  comment?: string;
}

/** `@temporalio/client` IntervalSpec: times epoch + n·every + offset, in milliseconds. */
export interface TemporalIntervalSpec {
  every: number;
  offset?: number;
}

/** `@temporalio/client` ScheduleSpec, as a plain object (the engine never imports Temporal). */
export interface TemporalScheduleSpec {
  calendars?: TemporalCalendarSpec[];
  intervals?: TemporalIntervalSpec[];
  startAt?: Date;
  endAt?: Date;
  timezone?: string;
}

/**
 * The Temporal ScheduleSpec of a schedule. Cron and presets become calendars read from
 * cron-parser's parsed fields, so 5- and 6-field expressions, steps, ranges, lists and names all
 * carry over exactly. Cron matches a day when day-of-month OR day-of-week matches if both are
 * restricted, while a Temporal calendar needs every field to match, so that case becomes two
 * calendars. Intervals become `every` with offset (start − epoch) mod every, so runs land on
 * start + k·every, bounded by startAt and endAt.
 */
export function toTemporalScheduleSpec(schedule: Schedule): TemporalScheduleSpec {
  const timezone = schedule.timezone;
  const { interval } = schedule;
  if (interval !== undefined) {
    const every = intervalMs(interval);
    const start = Date.parse(interval.start);
    return {
      intervals: [{ every, offset: ((start % every) + every) % every }],
      startAt: new Date(start),
      ...(interval.end === undefined ? {} : { endAt: new Date(interval.end) }),
      timezone,
    };
  }
  const expression = cronOf(schedule);
  return { calendars: cronCalendars(expression), timezone };
}

function cronCalendars(expression: string): TemporalCalendarSpec[] {
  const { fields } = parseCron(expression);
  const comment = `cron: ${expression.trim()}`;
  const base = {
    second: numberField(fields.second.values, 0, 59),
    minute: numberField(fields.minute.values, 0, 59),
    hour: numberField(fields.hour.values, 0, 23),
    month: namedField(fields.month.values, 1, temporalMonths),
  };
  const daysOfMonth = numberField(fields.dayOfMonth.values, 1, 31);
  const daysOfWeek = namedField(
    fields.dayOfWeek.values.map((day) => (day === 7 ? 0 : day)),
    0,
    temporalDaysOfWeek,
  );
  if (!fields.dayOfMonth.isWildcard && !fields.dayOfWeek.isWildcard) {
    return [
      { ...base, dayOfMonth: daysOfMonth, dayOfWeek: '*', comment },
      { ...base, dayOfMonth: '*', dayOfWeek: daysOfWeek, comment },
    ];
  }
  return [{ ...base, dayOfMonth: daysOfMonth, dayOfWeek: daysOfWeek, comment }];
}

function numericValues(values: readonly (number | string)[]): number[] {
  const numbers = values.map((value) => {
    if (typeof value !== 'number')
      throw new ScheduleError(`"${value}" has no Temporal calendar form`);
    return value;
  });
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** Sorted values as ranges: runs of three or more with one step become one range. */
function toRanges(values: number[]): TemporalRange<number>[] {
  const ranges: TemporalRange<number>[] = [];
  let at = 0;
  while (at < values.length) {
    const start = values[at]!;
    const step = (values[at + 1] ?? start) - start;
    let end = at;
    while (end + 1 < values.length && values[end + 1]! - values[end]! === step) end += 1;
    if (end - at >= 2) {
      ranges.push({ start, end: values[end]!, step });
      at = end + 1;
    } else {
      ranges.push({ start, end: start, step: 1 });
      at += 1;
    }
  }
  return ranges;
}

function numberField(
  values: readonly (number | string)[],
  min: number,
  max: number,
): TemporalCalendarField<number> {
  const numbers = numericValues(values);
  return numbers.length === max - min + 1 ? '*' : toRanges(numbers);
}

function namedField<Name>(
  values: readonly (number | string)[],
  first: number,
  names: readonly Name[],
): TemporalCalendarField<Name> {
  const numbers = numericValues(values);
  if (numbers.length === names.length) return '*';
  return toRanges(numbers).map(({ start, end, step }) => ({
    start: names[start - first]!,
    end: names[end - first]!,
    step,
  }));
}

/** `@temporalio/client` ScheduleOverlapPolicy names. */
export type TemporalOverlapPolicy =
  'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';

export interface TemporalSchedulePolicies {
  overlap: TemporalOverlapPolicy;
  /** Milliseconds; absent means Temporal's default. */
  catchupWindow?: number;
}

/**
 * The Temporal Schedule policies of a schedule (`ScheduleOptions.policies`).
 *
 * `maxRuns` is not a policy: pass it as the schedule's state, `state: { remainingActions: maxRuns }`
 * in `@temporalio/client` (which sets `limitedActions` whenever `remainingActions` is given; the
 * raw API needs both `limitedActions: true` and `remainingActions`). Temporal counts it down with
 * every scheduled run and stops at 0; manual triggers do not count.
 */
export function toTemporalSchedulePolicies(schedule: Schedule): TemporalSchedulePolicies {
  return {
    overlap: schedule.overlap.toUpperCase() as TemporalOverlapPolicy,
    ...(schedule.catchupWindowSeconds === undefined
      ? {}
      : { catchupWindow: schedule.catchupWindowSeconds * 1000 }),
  };
}
