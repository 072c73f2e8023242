/** One function per API route the editor uses (api-contract.md). */
import type { JobInput } from '@batchgraph/engine';
import { api } from './client';
import type {
  ApiKeySummary,
  AuditEntry,
  JobDetail,
  JobSummary,
  LogLine,
  Me,
  Page,
  Role,
  RunDetail,
  RunSummary,
  SavedJob,
  ScheduleView,
  VersionDetail,
  VersionSummary,
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
export const duplicateJob = (id: string, name?: string) =>
  api<SavedJob>(`/jobs/${enc(id)}/duplicate`, { method: 'POST', body: { name } });
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
export const retryRun = (runId: string) =>
  api<{ runId: string }>(`/runs/${enc(runId)}/retry`, { method: 'POST', body: {} });
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
