import { describe, expect, it } from 'vitest';
import {
  cronExpressionProblem,
  describeSchedule,
  nextRuns,
  presetCron,
  scheduleSchema,
  timeZoneProblem,
  toTemporalSchedulePolicies,
  toTemporalScheduleSpec,
  type Schedule,
} from '../src/schedule';

const schedule = (input: unknown): Schedule => scheduleSchema.parse(input);
const berlin = (input: object) => schedule({ ...input, timezone: 'Europe/Berlin' });
const once = (start: number, end = start, step = 1) => ({ start, end, step });

describe('nextRuns for cron schedules', () => {
  it('lists runs in the schedule’s zone, strictly after `from`', () => {
    expect(nextRuns(berlin({ cron: '0 2 * * *' }), 3, '2026-01-10T01:00:00Z')).toEqual([
      '2026-01-11T02:00:00+01:00',
      '2026-01-12T02:00:00+01:00',
      '2026-01-13T02:00:00+01:00',
    ]);
    expect(nextRuns(berlin({ cron: '0 2 * * *' }), 1, new Date('2026-01-10T00:59:59Z'))).toEqual([
      '2026-01-10T02:00:00+01:00',
    ]);
  });

  it('skips a time that does not exist when clocks go forward (Europe/Berlin, 29 March 2026)', () => {
    expect(nextRuns(berlin({ cron: '30 2 * * *' }), 3, '2026-03-27T12:00:00Z')).toEqual([
      '2026-03-28T02:30:00+01:00',
      '2026-03-30T02:30:00+02:00',
      '2026-03-31T02:30:00+02:00',
    ]);
  });

  it('runs twice at a time that occurs twice when clocks go back (25 October 2026)', () => {
    expect(nextRuns(berlin({ cron: '30 2 * * *' }), 4, '2026-10-23T12:00:00Z')).toEqual([
      '2026-10-24T02:30:00+02:00',
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-26T02:30:00+01:00',
    ]);
  });

  it('keeps runs in time order across the repeated hour', () => {
    const runs = nextRuns(berlin({ cron: '*/30 * * * *' }), 6, '2026-10-25T00:10:00Z');
    expect(runs).toEqual([
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:00:00+01:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T03:00:00+01:00',
      '2026-10-25T03:30:00+01:00',
      '2026-10-25T04:00:00+01:00',
    ]);
    const instants = runs.map((run) => Date.parse(run));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
  });

  it('keeps the wall-clock time across the change (02:00 stays 02:00)', () => {
    const runs = nextRuns(berlin({ cron: '0 9 * * *' }), 3, '2026-03-28T12:00:00Z');
    expect(runs).toEqual([
      '2026-03-29T09:00:00+02:00',
      '2026-03-30T09:00:00+02:00',
      '2026-03-31T09:00:00+02:00',
    ]);
  });

  it('reads six-field cron with seconds first', () => {
    expect(nextRuns(schedule({ cron: '15 */20 * * * *' }), 3, '2026-01-01T00:00:00Z')).toEqual([
      '2026-01-01T00:00:15+00:00',
      '2026-01-01T00:20:15+00:00',
      '2026-01-01T00:40:15+00:00',
    ]);
  });

  it('matches day of month OR day of week when both are restricted, as cron does', () => {
    const runs = nextRuns(schedule({ cron: '0 0 13 * fri' }), 4, '2026-02-01T00:00:00Z');
    expect(runs).toEqual([
      '2026-02-06T00:00:00+00:00',
      '2026-02-13T00:00:00+00:00',
      '2026-02-20T00:00:00+00:00',
      '2026-02-27T00:00:00+00:00',
    ]);
  });

  it('runs presets', () => {
    expect(
      nextRuns(berlin({ preset: { kind: 'hourly', minute: 5 } }), 2, '2026-01-01T00:00:00Z'),
    ).toEqual(['2026-01-01T01:05:00+01:00', '2026-01-01T02:05:00+01:00']);
    expect(
      nextRuns(
        berlin({ preset: { kind: 'weekly', days: ['mon', 'thu'], time: '07:30' } }),
        3,
        '2026-01-01T00:00:00Z',
      ),
    ).toEqual([
      '2026-01-01T07:30:00+01:00',
      '2026-01-05T07:30:00+01:00',
      '2026-01-08T07:30:00+01:00',
    ]);
    expect(
      nextRuns(
        berlin({ preset: { kind: 'monthly', day: 31, time: '23:00' } }),
        2,
        '2026-01-31T23:00:00+01:00',
      ),
    ).toEqual(['2026-03-31T23:00:00+02:00', '2026-05-31T23:00:00+02:00']);
  });

  it('returns nothing for a count of 0', () => {
    expect(nextRuns(schedule({ cron: '* * * * *' }), 0)).toEqual([]);
  });
});

describe('nextRuns for interval schedules', () => {
  const interval = berlin({
    interval: {
      every: 15,
      unit: 'minutes',
      start: '2026-01-01T08:00:00+01:00',
      end: '2026-01-01T09:00:00+01:00',
    },
  });

  it('starts at the start, then every interval', () => {
    expect(nextRuns(interval, 3, '2025-06-01T00:00:00Z')).toEqual([
      '2026-01-01T08:00:00+01:00',
      '2026-01-01T08:15:00+01:00',
      '2026-01-01T08:30:00+01:00',
    ]);
  });

  it('continues on start + k·every after `from`, up to and including the end', () => {
    expect(nextRuns(interval, 10, '2026-01-01T08:20:00+01:00')).toEqual([
      '2026-01-01T08:30:00+01:00',
      '2026-01-01T08:45:00+01:00',
      '2026-01-01T09:00:00+01:00',
    ]);
    expect(nextRuns(interval, 10, '2026-01-01T09:00:00+01:00')).toEqual([]);
  });

  it('counts days as 24 hours of elapsed time across a clock change', () => {
    const daily = berlin({
      interval: { every: 1, unit: 'days', start: '2026-03-28T12:00:00+01:00' },
    });
    expect(nextRuns(daily, 2, '2026-03-28T12:00:00+01:00')).toEqual([
      '2026-03-29T13:00:00+02:00',
      '2026-03-30T13:00:00+02:00',
    ]);
  });
});

describe('describeSchedule', () => {
  it('describes cron with cronstrue and the zone', () => {
    expect(describeSchedule(berlin({ cron: '0 2 * * *' }))).toBe('At 02:00 AM, Europe/Berlin');
    expect(describeSchedule(schedule({ cron: '30 0 2 * * *' }))).toBe('At 02:00:30 AM, UTC');
  });

  it('describes presets', () => {
    expect(
      describeSchedule(berlin({ preset: { kind: 'weekly', days: ['mon', 'fri'], time: '07:45' } })),
    ).toBe('At 07:45 AM, only on Monday and Friday, Europe/Berlin');
  });

  it('describes intervals with their start and end in the zone', () => {
    expect(
      describeSchedule(
        berlin({
          interval: { every: 15, start: '2026-01-01T07:00:00Z', end: '2026-03-01T00:00:00+01:00' },
        }),
      ),
    ).toBe('Every 15 minutes from 2026-01-01 08:00 until 2026-03-01 (Europe/Berlin)');
    expect(
      describeSchedule(
        schedule({ interval: { every: 1, unit: 'hours', start: '2026-01-01T00:00:30Z' } }),
      ),
    ).toBe('Every hour from 2026-01-01 00:00:30 (UTC)');
  });
});

describe('toTemporalScheduleSpec', () => {
  it('translates five-field cron into one calendar', () => {
    expect(toTemporalScheduleSpec(berlin({ cron: '0 2 * * *' }))).toEqual({
      calendars: [
        {
          second: [once(0)],
          minute: [once(0)],
          hour: [once(2)],
          dayOfMonth: '*',
          month: '*',
          dayOfWeek: '*',
          comment: 'cron: 0 2 * * *',
        },
      ],
      timezone: 'Europe/Berlin',
    });
  });

  it('translates six-field cron, steps, ranges, lists and names', () => {
    const [calendar] = toTemporalScheduleSpec(
      schedule({ cron: '15 */20 9-17/2 * jan-mar,dec 1-5' }),
    ).calendars!;
    expect(calendar).toMatchObject({
      second: [once(15)],
      minute: [{ start: 0, end: 40, step: 20 }],
      hour: [{ start: 9, end: 17, step: 2 }],
      dayOfMonth: '*',
      month: [
        { start: 'JANUARY', end: 'MARCH', step: 1 },
        { start: 'DECEMBER', end: 'DECEMBER', step: 1 },
      ],
      dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
    });
  });

  it('reads 7 as Sunday', () => {
    const [calendar] = toTemporalScheduleSpec(schedule({ cron: '0 0 * * 7' })).calendars!;
    expect(calendar!.dayOfWeek).toEqual([{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }]);
  });

  it('splits day-of-month OR day-of-week into two calendars', () => {
    const { calendars } = toTemporalScheduleSpec(schedule({ cron: '0 0 13 * fri' }));
    expect(calendars).toHaveLength(2);
    expect(calendars![0]).toMatchObject({ dayOfMonth: [once(13)], dayOfWeek: '*' });
    expect(calendars![1]).toMatchObject({
      dayOfMonth: '*',
      dayOfWeek: [{ start: 'FRIDAY', end: 'FRIDAY', step: 1 }],
    });
  });

  it('translates presets', () => {
    const weekly = toTemporalScheduleSpec(
      berlin({ preset: { kind: 'weekly', days: ['sun', 'mon', 'wed', 'fri'], time: '07:45' } }),
    );
    expect(weekly.calendars![0]).toMatchObject({
      minute: [once(45)],
      hour: [once(7)],
      dayOfWeek: [
        { start: 'SUNDAY', end: 'SUNDAY', step: 1 },
        { start: 'MONDAY', end: 'FRIDAY', step: 2 },
      ],
    });
    const monthly = toTemporalScheduleSpec(
      schedule({ preset: { kind: 'monthly', day: 31, time: '23:15' } }),
    );
    expect(monthly.calendars![0]).toMatchObject({
      dayOfMonth: [once(31)],
      hour: [once(23)],
      minute: [once(15)],
    });
    const hourly = toTemporalScheduleSpec(schedule({ preset: { kind: 'hourly', minute: 0 } }));
    expect(hourly.calendars![0]).toMatchObject({ minute: [once(0)], hour: '*' });
  });

  it('translates an interval so runs land on start + k·every, with start and end', () => {
    const spec = toTemporalScheduleSpec(
      berlin({
        interval: {
          every: 7,
          unit: 'minutes',
          start: '2026-01-01T08:03:00+01:00',
          end: '2026-03-01T00:00:00+01:00',
        },
      }),
    );
    const every = 7 * 60_000;
    const start = Date.parse('2026-01-01T07:03:00Z');
    expect(spec).toEqual({
      intervals: [{ every, offset: start % every }],
      startAt: new Date(start),
      endAt: new Date('2026-02-28T23:00:00Z'),
      timezone: 'Europe/Berlin',
    });
    const { offset = 0 } = spec.intervals![0]!;
    expect((start - offset) % every).toBe(0);
  });

  it('leaves out endAt when the interval has no end', () => {
    const spec = toTemporalScheduleSpec(
      schedule({ interval: { every: 1, unit: 'days', start: '2026-01-01T00:00:00Z' } }),
    );
    expect(spec).not.toHaveProperty('endAt');
    expect(spec.intervals).toEqual([{ every: 86_400_000, offset: 0 }]);
  });
});

describe('toTemporalSchedulePolicies', () => {
  it.each([
    ['skip', 'SKIP'],
    ['buffer_one', 'BUFFER_ONE'],
    ['buffer_all', 'BUFFER_ALL'],
    ['cancel_other', 'CANCEL_OTHER'],
    ['terminate_other', 'TERMINATE_OTHER'],
    ['allow_all', 'ALLOW_ALL'],
  ])('maps overlap %s to %s', (overlap, expected) => {
    expect(toTemporalSchedulePolicies(schedule({ cron: '* * * * *', overlap })).overlap).toBe(
      expected,
    );
  });

  it('defaults to SKIP and gives the catch-up window in milliseconds', () => {
    expect(toTemporalSchedulePolicies(schedule({ cron: '* * * * *' }))).toEqual({
      overlap: 'SKIP',
    });
    expect(
      toTemporalSchedulePolicies(schedule({ cron: '* * * * *', catchupWindowSeconds: 600 })),
    ).toEqual({
      overlap: 'SKIP',
      catchupWindow: 600_000,
    });
  });
});

describe('schedule validation', () => {
  it.each(['0 0 L * *', '0 0 * * 5L', '0 0 * * 1#2'])(
    'rejects %s, which Temporal cannot express',
    (cron) => {
      expect(cronExpressionProblem(cron)).toMatch(/L or #/);
    },
  );

  it('rejects hashed values, which change on every parse', () => {
    expect(cronExpressionProblem('H 2 * * *')).toMatch(/hashed/);
  });

  it('accepts names, steps and six fields', () => {
    for (const cron of ['0 0 * jul thu', '*/5 * * * *', '0 0 9 * * mon-fri', '0 0 1,15 * *']) {
      expect(cronExpressionProblem(cron)).toBeUndefined();
    }
  });

  it('names the field count', () => {
    expect(cronExpressionProblem('* * * *')).toMatch(/has 4 fields/);
    expect(cronExpressionProblem('0 0 1 1 * 2026 x')).toMatch(/has 7 fields/);
  });

  it('rejects a day that never comes', () => {
    expect(cronExpressionProblem('0 0 30 2 *')).toBeDefined();
  });

  it('knows IANA zones', () => {
    expect(timeZoneProblem('America/New_York')).toBeUndefined();
    expect(timeZoneProblem('Moon/Tranquility')).toMatch(/not a known IANA time zone/);
  });

  it('requires exactly one of cron, preset and interval', () => {
    expect(scheduleSchema.safeParse({}).success).toBe(false);
    expect(
      scheduleSchema.safeParse({ cron: '* * * * *', preset: { kind: 'hourly' } }).success,
    ).toBe(false);
  });

  it('requires the interval end after its start', () => {
    const result = scheduleSchema.safeParse({
      interval: { every: 1, start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' },
    });
    expect(result.success).toBe(false);
  });

  it('spells out presets as cron', () => {
    expect(presetCron({ kind: 'daily', time: '02:05' })).toBe('5 2 * * *');
    expect(presetCron({ kind: 'weekly', days: ['mon', 'fri'], time: '23:59' })).toBe(
      '59 23 * * mon,fri',
    );
  });
});
