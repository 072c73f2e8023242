/**
 * Wall-clock time in IANA time zones through Intl only (no Node APIs, no time-zone library).
 * A "wall time" is the clock reading in a zone, held as the milliseconds of that reading taken as
 * if it were UTC; instants are ordinary epoch milliseconds.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall time in a zone at an instant. */
export function wallTime(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of formatter(zone).formatToParts(instant)) {
    if (type !== 'literal') parts[type] = Number(value);
  }
  const wholeSeconds = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return wholeSeconds + (((instant % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffset(instant: number, zone: string): number {
  return wallTime(instant, zone) - instant;
}

/**
 * The instants at which a zone's clocks read a wall time, in order: none when the time falls in a
 * gap (clocks moved forward), two when it repeats (clocks moved back), otherwise one.
 */
export function instantsAt(wall: number, zone: string): number[] {
  const offsets = new Set([
    zoneOffset(wall - DAY_MS, zone),
    zoneOffset(wall, zone),
    zoneOffset(wall + DAY_MS, zone),
  ]);
  const instants: number[] = [];
  for (const offset of offsets) {
    const instant = wall - offset;
    if (zoneOffset(instant, zone) === offset && !instants.includes(instant)) instants.push(instant);
  }
  return instants.sort((a, b) => a - b);
}

/** How far the zone's clocks jump within a day either side of an instant (0 when they do not). */
export function clockShiftNear(instant: number, zone: string): number {
  return Math.abs(zoneOffset(instant - DAY_MS, zone) - zoneOffset(instant + DAY_MS, zone));
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2026-03-29T03:30:00+02:00` (milliseconds only when there are some). */
export function formatInZone(instant: number, zone: string): string {
  const offsetMinutes = Math.round(zoneOffset(instant, zone) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${wallText(instant, zone, 'T')}${offset}`;
}

/** `2026-01-01 08:00` for display: seconds only when set, the time only when not midnight. */
export function formatWallShort(instant: number, zone: string): string {
  const text = wallText(instant, zone, ' ').replace(/:00$/, '');
  return text.endsWith(' 00:00') ? text.slice(0, -6) : text;
}

function wallText(instant: number, zone: string, separator: string): string {
  const wall = new Date(wallTime(instant, zone));
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  const millis = wall.getUTCMilliseconds();
  return `${date}${separator}${time}${millis ? `.${pad(millis, 3)}` : ''}`;
}
