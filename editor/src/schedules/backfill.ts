/**
 * Checks a backfill range typed on the schedule's clock and counts the runs it would start, with
 * the engine's `nextRuns` (the same schedule maths as the previews and the Temporal spec).
 */
import { nextRuns, type Schedule } from '@batchgraph/engine';
import { fromZonedInput, usableZone, wallInputValue } from '../lib/zonedInput';
import type { FieldProblem } from '../ui/Field';

/** Above this many runs the dialog warns before starting them all at once. */
export const MANY_BACKFILL_RUNS = 100;
/** Runs are counted up to this many; a larger range says "more than". */
export const BACKFILL_COUNT_LIMIT = 1000;

export interface BackfillRuns {
  count: number;
  /** True when there are more than BACKFILL_COUNT_LIMIT (count is then the limit). */
  more: boolean;
  first?: string;
  last?: string;
}

export interface BackfillCheck {
  from: FieldProblem[];
  to: FieldProblem[];
  /** Problems of the range as a whole (no runs in it, a schedule the engine cannot read). */
  range: FieldProblem[];
  /** The request to send, when nothing above is an error. */
  request?: { from: string; to: string };
  runs?: BackfillRuns;
  warning?: string;
}

const isError = (problem: FieldProblem) => (problem.severity ?? 'error') === 'error';

/** The runs a schedule starts at times in [from, to], both included (as Temporal backfills). */
export function backfillRuns(schedule: Schedule, from: number, to: number): BackfillRuns {
  const runs = nextRuns(schedule, BACKFILL_COUNT_LIMIT + 1, new Date(from - 1)).filter(
    (run) => Date.parse(run) <= to,
  );
  const more = runs.length > BACKFILL_COUNT_LIMIT;
  const counted = runs.slice(0, BACKFILL_COUNT_LIMIT);
  return { count: counted.length, more, first: counted[0], last: counted.at(-1) };
}

function readTime(text: string, zone: string, path: string, problems: FieldProblem[]) {
  if (text === '') {
    problems.push({ path, message: 'is required' });
    return undefined;
  }
  const value = fromZonedInput(text, zone);
  if (!value.ok) {
    problems.push({ path, message: value.problem });
    return undefined;
  }
  if (value.note) problems.push({ path, message: value.note, severity: 'warning' });
  return value;
}

export function checkBackfill(
  schedule: Schedule,
  fromText: string,
  toText: string,
  now: number,
): BackfillCheck {
  const zone = usableZone(schedule.timezone);
  const check: BackfillCheck = { from: [], to: [], range: [] };
  const from = readTime(fromText, zone, '$.from', check.from);
  const to = readTime(toText, zone, '$.to', check.to);
  if (!from || !to) return check;
  if (to.instant > now) {
    check.to.push({
      path: '$.to',
      message: `is later than now (${wallInputValue(now, zone).replace('T', ' ')}): runs after now come on schedule`,
    });
  }
  if (from.instant >= to.instant) check.to.push({ path: '$.to', message: 'must be after From' });
  if (check.to.some(isError)) return check;
  try {
    check.runs = backfillRuns(schedule, from.instant, to.instant);
  } catch (cause) {
    check.range.push({
      path: '$',
      message: cause instanceof Error ? cause.message : String(cause),
    });
    return check;
  }
  if (check.runs.count === 0) {
    check.range.push({ path: '$', message: 'The schedule starts no run in this range.' });
    return check;
  }
  if (check.runs.more || check.runs.count > MANY_BACKFILL_RUNS) {
    check.warning = `That is ${check.runs.more ? 'more than ' : ''}${check.runs.count} runs, all started now (the overlap policy decides how many run at once).`;
  }
  check.request = { from: from.iso, to: to.iso };
  return check;
}
