/** Response shapes of the HTTP API (api-contract.md), as the editor reads them. */
import type {
  ConnectionKind,
  JobInput,
  Problem,
  RunStatus,
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

export type { RunSummary } from '@batchgraph/engine';

/** A task (or the run's start, without taskId) waiting longer than allowed for a worker. */
export interface WorkerWait {
  taskId?: string;
  queue: string;
  since: string;
  workers: number;
  message: string;
}

export interface RunDetail extends RunView {
  runId: string;
  temporalUiUrl: string;
  jobId: string;
  version: number;
  waiting?: WorkerWait[];
}

/** `GET /api/workers`: who polls each task queue, from Temporal. */
export interface WorkerPoller {
  identity: string;
  kind: 'workflow' | 'activity';
  lastSeenAt: string;
  buildId?: string;
  commandsEnabled?: boolean;
  live: boolean;
}

export interface QueueHealth {
  name: string;
  pollers: WorkerPoller[];
  activityWorkers: number;
  workflowWorkers: number;
  commandsEnabled: boolean;
}

export interface WorkersView {
  defaultQueue: string;
  queues: QueueHealth[];
}

export interface LogLine {
  at: string;
  attempt: number;
  stream: 'stdout' | 'stderr' | 'info';
  text: string;
}

export { auditActions, type AuditEntry } from '@batchgraph/engine';

export interface ApiKeySummary {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revoked: boolean;
}

/** `GET /api/connections` items: never the secret. `owner` is null for a shared connection. */
export interface ConnectionSummary {
  name: string;
  kind: ConnectionKind;
  owner: string | null;
  description?: string;
  /** Base URLs the secret is sent to; requests elsewhere get no credentials. */
  origins: string[];
  createdAt: string;
}

/** The secret fields of each connection kind, as `POST /api/connections` takes them. */
export interface ConnectionSecrets {
  bearer: { token: string };
  basic: { username: string; password: string };
  header: { header: string; value: string };
}

export type NewConnection = {
  [Kind in ConnectionKind]: {
    name: string;
    kind: Kind;
    shared?: boolean;
    description?: string;
    origins: string[];
    secret: ConnectionSecrets[Kind];
  };
}[ConnectionKind];

export interface BackfillRequest {
  from: string;
  to: string;
  overlap?: OverlapPolicy;
}
