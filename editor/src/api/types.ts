/** Response shapes of the HTTP API (api-contract.md), as the editor reads them. */
import type {
  JobInput,
  Problem,
  RunStatus,
  RunTrigger,
  RunView,
  OverlapPolicy,
} from '@batchgraph/engine';

export const roles = ['viewer', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Me {
  id: string;
  name: string;
  role: Role;
}

export interface Person {
  id: string;
  name: string;
}

export interface JobSummary {
  id: string;
  name: string;
  description?: string;
  version: number;
  owner: Person;
  updatedAt: string;
  schedule?: {
    kind: 'cron' | 'preset' | 'interval';
    description: string;
    timezone: string;
    nextRunAt?: string;
    paused: boolean;
    note?: string;
  };
  lastRun?: { runId: string; status: RunStatus; startedAt: string; endedAt?: string };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface JobDetail {
  id: string;
  name: string;
  version: number;
  document: JobInput;
  owner: Person;
  createdAt: string;
  updatedAt: string;
  warnings: Problem[];
}

export interface SavedJob {
  id: string;
  version: number;
  warnings?: Problem[];
}

export interface VersionSummary {
  version: number;
  createdAt: string;
  createdBy: Person;
}

export interface VersionDetail extends VersionSummary {
  document: JobInput;
}

export interface ScheduleView {
  description: string;
  timezone: string;
  nextRuns: string[];
  paused: boolean;
  note?: string;
  overlap: OverlapPolicy;
  recentActions: { scheduledAt: string; takenAt: string; runId: string }[];
  runningRuns: string[];
}

export interface RunSummary {
  runId: string;
  jobId: string;
  jobName: string;
  version: number;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: string;
  endedAt?: string;
}

export interface RunDetail extends RunView {
  runId: string;
  temporalUiUrl: string;
  jobId: string;
  version: number;
}

export interface LogLine {
  at: string;
  attempt: number;
  stream: 'stdout' | 'stderr' | 'info';
  text: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: Person;
  action: string;
  jobId?: string;
  runId?: string;
  details: unknown;
  ip: string;
}

export const auditActions = [
  'job.created',
  'job.updated',
  'job.deleted',
  'job.imported',
  'job.duplicated',
  'run.started',
  'run.cancelled',
  'run.retried',
  'schedule.paused',
  'schedule.resumed',
  'schedule.triggered',
  'schedule.backfilled',
  'key.created',
  'key.revoked',
  'connection.created',
  'connection.deleted',
] as const;

export interface ApiKeySummary {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revoked: boolean;
}
