/**
 * What a schedule means, for the schedule panel: in words, and its next run times. The meaning of
 * schedules belongs to the engine; this module only asks it.
 */
import { describeSchedule, nextRuns, scheduleSchema } from '@batchgraph/engine';

export interface SchedulePreview {
  description?: string;
  nextRuns: string[];
  /** Why no preview can be shown (the engine's sentence). */
  problem?: string;
}

export function previewSchedule(input: unknown, count = 10, from = new Date()): SchedulePreview {
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) return { nextRuns: [], problem: parsed.error.issues[0]?.message };
  try {
    return {
      description: describeSchedule(parsed.data),
      nextRuns: nextRuns(parsed.data, count, from),
    };
  } catch (error) {
    return { nextRuns: [], problem: error instanceof Error ? error.message : String(error) };
  }
}
