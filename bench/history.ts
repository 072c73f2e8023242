/**
 * Where a finished workflow's time went, read from the event times in its history (all stamped by
 * the server), for the Temporal benchmarks:
 *
 *   dispatch  ActivityTaskCompleted → WorkflowTaskStarted: the server hands the next workflow task
 *             to the worker (history transfer queue → matching → the worker's poll)
 *   workflow  WorkflowTaskStarted → WorkflowTaskCompleted: the worker runs the workflow code and
 *             replies (with the next activities, dispatched eagerly in the reply when they fit)
 *   activity  ActivityTaskStarted → ActivityTaskCompleted: the worker runs the activity and replies
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { EventType } = proto.temporal.api.enums.v1;

const PHASES = {
  dispatch: [
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  ],
  workflow: [
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  ],
  activity: [
    EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  ],
} as const;
export type Phase = keyof typeof PHASES;

export interface PhaseStats {
  /** How many spans of the phase the history holds (for `workflow`: the workflow tasks). */
  count: number;
  /** Their summed and mean length in ms. */
  totalMs: number;
  meanMs: number;
}

interface Timestamp {
  seconds?: { toString(): string } | null;
  nanos?: number | null;
}

function millis(time: Timestamp | null | undefined): number {
  return Number(time?.seconds?.toString() ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
}

/** Each phase: from an event of its first type to the next event of its second. */
export async function phases(
  client: Client,
  workflowId: string,
): Promise<Record<Phase, PhaseStats>> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const result = {} as Record<Phase, PhaseStats>;
  for (const [phase, [from, to]] of Object.entries(PHASES) as [Phase, readonly number[]][]) {
    let count = 0;
    let totalMs = 0;
    let since: number | undefined;
    for (const event of events) {
      if (event.eventType === from) since = millis(event.eventTime);
      else if (event.eventType === to && since !== undefined) {
        count += 1;
        totalMs += millis(event.eventTime) - since;
        since = undefined;
      }
    }
    result[phase] = { count, totalMs, meanMs: count ? totalMs / count : NaN };
  }
  return result;
}
