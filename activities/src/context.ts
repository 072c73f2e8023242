/**
 * What activities take from their Temporal context: how long an attempt may run and a heartbeat
 * while they wait, since Temporal delivers cancellation to an activity only through heartbeats.
 */
import type { Info } from '@temporalio/activity';

const HEARTBEAT_EVERY_MS = 1_000;

/**
 * A bit under the attempt's start-to-close timeout, so the activity reports its own timeout
 * (and stops its work) before Temporal abandons the attempt.
 */
export function attemptBudgetMs(info: Info): number {
  const total = info.startToCloseTimeoutMs || info.scheduleToCloseTimeoutMs || 60_000;
  return Math.max(1, total - Math.min(5_000, total * 0.1));
}

/** A request's own timeout when it has one, else the attempt's budget. */
export function requestBudgetMs(timeoutSeconds: number | undefined, info: Info): number {
  return timeoutSeconds ? timeoutSeconds * 1000 : attemptBudgetMs(info);
}

/** Calls `beat` regularly until `work` settles. */
export async function heartbeating<T>(beat: () => void, work: () => Promise<T>): Promise<T> {
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
