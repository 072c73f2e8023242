/**
 * The bridge from a job's schedule (engine format) to Temporal's ScheduleSpec and policies.
 * The translation is the engine's; this only states that its plain objects are the client's types.
 */
import {
  describeSchedule,
  toTemporalSchedulePolicies,
  toTemporalScheduleSpec,
  type Schedule,
} from '@batchgraph/engine';
import type { ScheduleOptions, ScheduleSpec } from '@temporalio/client';

export function temporalSpec(schedule: Schedule): ScheduleSpec {
  return toTemporalScheduleSpec(schedule) satisfies ScheduleSpec;
}

export function temporalPolicies(schedule: Schedule): NonNullable<ScheduleOptions['policies']> {
  return toTemporalSchedulePolicies(schedule) satisfies NonNullable<ScheduleOptions['policies']>;
}

export function describeSpec(schedule: Schedule): string {
  return describeSchedule(schedule);
}
