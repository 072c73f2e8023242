/**
 * Date-times typed on a schedule's clock: the value of a `datetime-local` input read in an IANA
 * zone, and back. The zone arithmetic is the engine's (zoned-time), the one schedules use.
 */
import { formatInZone, instantsAt, timeZoneProblem, wallTime } from '@batchgraph/engine';

/** The zone itself when it is a known IANA zone, else UTC (its own field reports the problem). */
export function usableZone(zone: string | undefined): string {
  return zone !== undefined && timeZoneProblem(zone) === undefined ? zone : 'UTC';
}

/** `2026-03-29T08:30` (seconds only when set): what a datetime-local input shows for an instant. */
export function wallInputValue(instant: number, zone: string): string {
  const text = new Date(wallTime(instant, zone)).toISOString().slice(0, 19);
  return text.endsWith(':00') ? text.slice(0, 16) : text;
}

/** The input value for an ISO instant ('' when there is none or it is not a date). */
export function toZonedInput(iso: string | undefined, zone: string): string {
  const instant = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(instant) ? '' : wallInputValue(instant, zone);
}

export type ZonedValue =
  { ok: true; instant: number; iso: string; note?: string } | { ok: false; problem: string };

const inputPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/**
 * The instant a datetime-local value stands for on the zone's clocks, as ISO with the zone's
 * offset (`2026-01-01T08:00:00+09:00`). A time skipped when clocks move forward is a problem; one
 * that occurs twice when they move back is the first of the two, with a note saying so.
 */
export function fromZonedInput(value: string, zone: string): ZonedValue {
  const wall = inputPattern.test(value) ? Date.parse(`${value}Z`) : NaN;
  if (Number.isNaN(wall)) return { ok: false, problem: 'is not a date and time' };
  const [first, second] = instantsAt(wall, zone);
  if (first === undefined) {
    return {
      ok: false,
      problem: `does not exist in ${zone}: the clocks skip it (daylight saving time starts)`,
    };
  }
  const result = { ok: true as const, instant: first, iso: formatInZone(first, zone) };
  if (second === undefined) return result;
  return {
    ...result,
    note: `occurs twice in ${zone} (clocks go back); the first, at UTC${offsetText(first, zone)}, is used`,
  };
}

/**
 * The same wall-clock time on another zone's clocks: 08:00 in Tokyo becomes 08:00 in Berlin. A
 * time the new zone skips keeps its instant (the field then shows where it falls).
 */
export function sameWallTime(iso: string, from: string, to: string): string {
  const moved = fromZonedInput(toZonedInput(iso, from), to);
  return moved.ok ? moved.iso : iso;
}

/** `+09:00`, `-04:00`, `+00:00`: the zone's offset from UTC at an instant. */
export function offsetText(instant: number, zone: string): string {
  return formatInZone(instant, zone).slice(-6);
}

/** "Asia/Tokyo (UTC+09:00)": the zone named next to a date-time field, with its offset then. */
export function zoneLabel(zone: string, at: number): string {
  return Number.isFinite(at) ? `${zone} (UTC${offsetText(at, zone)})` : zone;
}
