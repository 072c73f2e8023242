/**
 * A job's schedule: a cron expression (5 or 6 fields), a preset (hourly, daily at, weekly on,
 * monthly on) or an interval from a start time (like APScheduler's interval trigger), in an IANA
 * time zone, plus the Temporal Schedule policies (overlap, catch-up window, run limit).
 */
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

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
    cron: z.string().optional().meta({
      title: 'Cron expression',
      description: 'Five fields (minute hour day month weekday) or six with seconds first.',
    }),
    preset: presetSchema.optional(),
    interval: intervalSchema.optional(),
    timezone: z
      .string()
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
    const zoneProblem = timeZoneProblem(schedule.timezone);
    if (zoneProblem) {
      ctx.addIssue({
        code: 'custom',
        path: ['timezone'],
        params: { code: 'invalid_timezone' },
        message: zoneProblem,
      });
    }
    if (schedule.cron !== undefined) {
      const cronProblem = cronExpressionProblem(schedule.cron);
      if (cronProblem) {
        ctx.addIssue({
          code: 'custom',
          path: ['cron'],
          params: { code: 'invalid_cron' },
          message: cronProblem,
        });
      }
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

/** Why a cron expression is invalid, in a sentence, or undefined when it is valid. */
export function cronExpressionProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `"${expression}" has ${fields.length} fields; a cron expression has 5 (minute hour day month weekday) or 6 (seconds first)`;
  }
  try {
    CronExpressionParser.parse(expression, { strict: false });
    return undefined;
  } catch (error) {
    return `"${expression}" is not a valid cron expression: ${(error as Error).message}`;
  }
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
