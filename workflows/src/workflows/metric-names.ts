/**
 * Names of the job-level metrics and the task-duration buckets. Plain data: the worker's runtime
 * (bucket overrides for its Prometheus exporter) and the workflow bundle both read it.
 */
export const RUNS_STARTED_METRIC = 'batchgraph_worker_runs_started_total';
export const RUNS_ENDED_METRIC = 'batchgraph_worker_runs_ended_total';
export const TASK_DURATION_METRIC = 'batchgraph_task_duration_seconds';

/** Seconds; from 10 ms to an hour, since tasks range from a quick call to a long command. */
export const TASK_DURATION_BUCKETS = [
  0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];
