/**
 * The audit log as the API serves it and the editor shows it: the actions it records and the shape
 * of one entry. Both sides take them from here so a new action cannot reach one and not the other.
 */
import type { Identity } from './run';

export const auditActions = [
  'job.created',
  'job.updated',
  'job.deleted',
  'job.transferred',
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
export type AuditAction = (typeof auditActions)[number];

/** One entry of `GET /api/audit`. */
export interface AuditEntry {
  id: string;
  /** ISO 8601. */
  at: string;
  actor: Identity;
  action: AuditAction;
  jobId?: string;
  runId?: string;
  details: Record<string, unknown>;
  /** The client address the change came from. */
  ip: string;
}
