/** A run as run lists show it (`GET /api/runs`, a job's latest run): served by the API, read by the editor. */
import type { RunStatus, RunTrigger } from './run';

export interface RunSummary {
  /** The workflow id. */
  runId: string;
  jobId: string;
  jobName: string;
  version: number;
  trigger: RunTrigger;
  status: RunStatus;
  /** ISO 8601. */
  startedAt: string;
  endedAt?: string;
}
