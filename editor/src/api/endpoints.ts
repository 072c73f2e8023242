/** One function per API route the editor uses (api-contract.md). */
import type { JobInput, OverlapPolicy } from '@batchgraph/engine';
import { api } from './client';
import type {
  ApiKeySummary,
  AuditEntry,
  BackfillRequest,
  ConnectionSummary,
  JobDetail,
  JobSummary,
  LogLine,
  Me,
  NewConnection,
  Page,
  Role,
  RunDetail,
  RunSummary,
  SavedJob,
  ScheduleView,
  VersionDetail,
  VersionSummary,
  WorkersView,
} from './types';

const enc = encodeURIComponent;

export const getMe = (key?: string) => api<Me>('/me', { key });

export interface JobQuery {
  q?: string;
  paused?: 'true' | 'false';
  status?: string;
  page?: number;
  pageSize?: number;
}
export const listJobs = (query: JobQuery, signal?: AbortSignal) =>
  api<Page<JobSummary>>('/jobs', { query: { ...query }, signal });
export const getJob = (id: string) => api<JobDetail>(`/jobs/${enc(id)}`);
export const createJob = (document: JobInput) =>
  api<SavedJob>('/jobs', { method: 'POST', body: document });
export const updateJob = (id: string, baseVersion: number, document: JobInput, force = false) =>
  api<SavedJob>(`/jobs/${enc(id)}`, {
    method: 'PUT',
    body: { baseVersion, document },
    query: { force: force || undefined },
  });
export const deleteJob = (id: string) => api<undefined>(`/jobs/${enc(id)}`, { method: 'DELETE' });
export const duplicateJob = (
  id: string,
  options: { name?: string; scheduleEnabled?: boolean } = {},
) => api<SavedJob>(`/jobs/${enc(id)}/duplicate`, { method: 'POST', body: options });
export const importJob = (document: unknown) =>
  api<SavedJob>('/jobs/import', { method: 'POST', body: document });
export const listVersions = (id: string) =>
  api<{ items: VersionSummary[] }>(`/jobs/${enc(id)}/versions`);
export const getVersion = (id: string, version: number) =>
  api<VersionDetail>(`/jobs/${enc(id)}/versions/${version}`);

export const getSchedule = (id: string) => api<ScheduleView>(`/jobs/${enc(id)}/schedule`);
export const pauseSchedule = (id: string, note: string) =>
  api<ScheduleView>(`/jobs/${enc(id)}/schedule/pause`, { method: 'POST', body: { note } });
export const resumeSchedule = (id: string, note?: string) =>
  api<ScheduleView>(`/jobs/${enc(id)}/schedule/resume`, { method: 'POST', body: { note } });
export const triggerSchedule = (id: string, overlap?: OverlapPolicy) =>
  api<{ ok: true }>(`/jobs/${enc(id)}/schedule/trigger`, { method: 'POST', body: { overlap } });
export const backfillSchedule = (id: string, request: BackfillRequest) =>
  api<{ ok: true }>(`/jobs/${enc(id)}/schedule/backfill`, { method: 'POST', body: request });
export const pauseSchedules = (ids: string[], note: string) =>
  api<{ paused: string[] }>('/schedules/pause', { method: 'POST', body: { ids, note } });
export const resumeSchedules = (ids: string[], note?: string) =>
  api<{ resumed: string[] }>('/schedules/resume', { method: 'POST', body: { ids, note } });

export const startRun = (jobId: string, input?: unknown) =>
  api<{ runId: string }>(`/jobs/${enc(jobId)}/runs`, { method: 'POST', body: { input } });
export interface RunQuery {
  jobId?: string;
  status?: string;
  from?: string;
  to?: string;
  pageSize?: number;
  pageToken?: string;
}
export const listRuns = (query: RunQuery, signal?: AbortSignal) =>
  api<{ items: RunSummary[]; nextPageToken?: string }>('/runs', { query: { ...query }, signal });
export const getRun = (runId: string) => api<RunDetail>(`/runs/${enc(runId)}`);
export const cancelRun = (runId: string) =>
  api<{ ok: true }>(`/runs/${enc(runId)}/cancel`, { method: 'POST', body: {} });
/** Which version a retry runs: the failed run's own, or the job's current one. */
export type RetryVersion = 'failed' | 'current';
export interface RetryPreview {
  retryOf: string;
  runId: string;
  jobId: string;
  versionChoice: RetryVersion;
  version: number;
  rerun: string[];
  reused: string[];
  redriven: string[];
}
export const getRetryPlan = (runId: string, version: RetryVersion, signal?: AbortSignal) =>
  api<RetryPreview>(`/runs/${enc(runId)}/retry-plan`, { query: { version }, signal });
export const retryRun = (runId: string, version: RetryVersion) =>
  api<{ runId: string; created: boolean }>(`/runs/${enc(runId)}/retry`, {
    method: 'POST',
    body: { version },
  });
/** A task's full output, read from the output store (the run view holds only a summary). */
export const getTaskOutput = (runId: string, taskId: string, signal?: AbortSignal) =>
  api<unknown>(`/runs/${enc(runId)}/tasks/${enc(taskId)}/output`, { signal });
export const getTaskLog = (runId: string, taskId: string) =>
  api<{ lines: LogLine[] }>(`/runs/${enc(runId)}/tasks/${enc(taskId)}/log`);

export interface AuditQuery {
  jobId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
}
export const listAudit = (query: AuditQuery, signal?: AbortSignal) =>
  api<{ items: AuditEntry[] }>('/audit', { query: { ...query }, signal });

export const listKeys = () => api<{ items: ApiKeySummary[] }>('/keys');
export const createKey = (name: string, role: Role) =>
  api<{ id: string; key: string }>('/keys', { method: 'POST', body: { name, role } });
export const revokeKey = (id: string) => api<undefined>(`/keys/${enc(id)}`, { method: 'DELETE' });

export const listConnections = (signal?: AbortSignal) =>
  api<{ items: ConnectionSummary[] }>('/connections', { signal });
export const createConnection = (connection: NewConnection) =>
  api<ConnectionSummary>('/connections', { method: 'POST', body: connection });
export const deleteConnection = (name: string) =>
  api<undefined>(`/connections/${enc(name)}`, { method: 'DELETE' });

/** Task queues and their pollers; `queues` limits the answer to these. */
export const getWorkers = (queues?: readonly string[], signal?: AbortSignal) =>
  api<WorkersView>('/workers', {
    query: { queue: queues && queues.length > 0 ? queues.join(',') : undefined },
    signal,
  });

/** The Temporal UI page of a task's latest attempt (the event that scheduled it). */
export const getTaskTemporalLink = (runId: string, taskId: string, signal?: AbortSignal) =>
  api<{ url: string }>(`/runs/${enc(runId)}/tasks/${enc(taskId)}/temporal-link`, { signal });
