/**
 * Job-level metrics, through Temporal's own metric meter: the worker's Prometheus endpoint serves
 * them beside the SDK's. Workflow metrics are not emitted while a run is replayed, so each event is
 * counted once however often the history is replayed.
 */
import type { Plan, RunStatus, RunTrigger, TaskState, TaskType } from '@batchgraph/engine';
import { metricMeter } from '@temporalio/workflow';
import { RUNS_ENDED_METRIC, RUNS_STARTED_METRIC, TASK_DURATION_METRIC } from './metric-names';

function jobTags(plan: Plan): { job_id: string; job_name: string } {
  return { job_id: plan.job.id ?? '', job_name: plan.job.name };
}

export function countRunStarted(plan: Plan, trigger: RunTrigger): void {
  metricMeter
    .createCounter(RUNS_STARTED_METRIC, 'runs', 'Runs started, by job and trigger')
    .add(1, { ...jobTags(plan), trigger });
}

export function countRunEnded(plan: Plan, status: RunStatus): void {
  metricMeter
    .createCounter(
      RUNS_ENDED_METRIC,
      'runs',
      'Runs ended, by job and status (succeeded, failed, cancelled)',
    )
    .add(1, { ...jobTags(plan), status });
}

/** A task's time from start to its final state, retries included. */
export function recordTaskDuration(
  plan: Plan,
  type: TaskType,
  state: TaskState,
  seconds: number,
): void {
  metricMeter
    .createHistogram(
      TASK_DURATION_METRIC,
      'float',
      's',
      'Task durations from start to final state (retries included), by task type',
    )
    .record(Number.isFinite(seconds) ? Math.max(0, seconds) : 0, {
      task_type: type,
      state,
      job_id: plan.job.id ?? '',
    });
}
