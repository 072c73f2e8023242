/**
 * The worker's heartbeat for every attempt, whatever its activity does (DESIGN.md, "Worker loss"):
 * a beat every second while the attempt runs, so that a lost worker shows as a heartbeat timeout
 * within seconds. Each beat carries the attempt number and the activity's own latest details (a
 * foreach chunk's checkpoint), so when the worker is lost the workflow knows which attempt it
 * was and the re-dispatched attempt resumes from those details. The activity keeps using
 * `heartbeat(details)` and `info.heartbeatDetails` as usual and sees only its own details; its
 * `info.attempt` is the task's attempt.
 */
import type { Context } from '@temporalio/activity';
import { heartbeatEnvelope, openHeartbeat } from './workflows/activity-headers';

const BEAT_EVERY_MS = 1_000;

export async function withAttemptHeartbeats<T>(
  ctx: Context,
  attempt: number,
  /** Details of a lost attempt this one replaces (a re-dispatch starts at Temporal attempt 1). */
  resumed: unknown,
  work: () => Promise<T>,
): Promise<T> {
  const send = ctx.heartbeat;
  let details = ctx.info.attempt > 1 ? openHeartbeat(ctx.info.heartbeatDetails).details : resumed;
  // The attempt as the task counts it (a re-dispatch numbers on), e.g. for the task's log lines.
  Object.defineProperty(ctx, 'info', {
    value: { ...ctx.info, attempt, heartbeatDetails: details },
  });
  Object.defineProperty(ctx, 'heartbeat', {
    value: (next: unknown): void => {
      details = next;
      send(heartbeatEnvelope(attempt, next));
    },
  });
  const beat = (): void => send(heartbeatEnvelope(attempt, details));
  beat();
  const timer = setInterval(beat, BEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
