/** The cron builder's choices and the expression they write (minute hour day month weekday). */
export interface CronChoices {
  minute: string;
  hour: string;
  day: string;
  month: string;
  weekdays: string[];
}

export const builderWeekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const defaultChoices: CronChoices = {
  minute: '0',
  hour: '2',
  day: '*',
  month: '*',
  weekdays: [],
};

export function choicesToCron(choices: CronChoices): string {
  const weekdays = choices.weekdays.length === 0 ? '*' : choices.weekdays.join(',');
  return [
    choices.minute || '*',
    choices.hour || '*',
    choices.day || '*',
    choices.month || '*',
    weekdays,
  ].join(' ');
}

/** Reads a five-field expression back into choices, when it is one the builder can write. */
export function cronToChoices(cron: string): CronChoices | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, day, month, weekdays] = fields as [string, string, string, string, string];
  const simple = /^(\*|\d{1,2})$/;
  if (![minute, hour, day, month].every((field) => simple.test(field))) return undefined;
  const days = weekdays === '*' ? [] : weekdays.split(',');
  if (!days.every((value) => (builderWeekdays as readonly string[]).includes(value)))
    return undefined;
  return { minute, hour, day, month, weekdays: days };
}
