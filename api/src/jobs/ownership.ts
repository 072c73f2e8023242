/**
 * Job ownership (DESIGN.md, Identity and permissions): every job has an owner, its creator unless
 * handed over. Only the owner or an administrator may save a new version, delete the job, change
 * its schedule or hand it over, because scheduled runs use the owner's connections.
 */
import type { Identity } from '@batchgraph/engine';
import type { Caller } from '../auth';
import type { Database, JobDoc } from '../db';
import { HttpError } from '../errors';
import { roleAtLeast, type Role } from '../roles';

/** The owner of a job whose creator is known nowhere: no caller matches it, so admins only. */
export const NO_OWNER: Identity = { id: '', name: 'no owner (administrators only)' };

export function isOwner(caller: Caller, job: Pick<JobDoc, 'owner'>): boolean {
  return job.owner.id !== '' && job.owner.id === caller.id;
}

/** Whether the caller may change the job: its owner or an administrator. */
export function mayChangeJob(caller: Caller, job: Pick<JobDoc, 'owner'>): boolean {
  return caller.role === 'admin' || isOwner(caller, job);
}

/**
 * Refuses (403) unless the caller owns the job, is an administrator, or (when given) holds
 * `orRole`; `action` completes "Only the job's owner … may …".
 */
export function requireJobOwner(
  caller: Caller,
  job: Pick<JobDoc, 'owner' | '_id'>,
  action: string,
  orRole?: Role,
): void {
  if (mayChangeJob(caller, job)) return;
  if (orRole !== undefined && roleAtLeast(caller.role, orRole)) return;
  const others = orRole === undefined ? 'an admin' : `an ${orRole} or admin`;
  throw new HttpError(
    403,
    'forbidden',
    `Only the job's owner (${job.owner.name}) or ${others} may ${action}; you are ${caller.name} (${caller.role})`,
    { owner: job.owner },
  );
}

/**
 * Gives every job stored before owners were recorded the creator of its first version; a job
 * without one gets NO_OWNER, which only administrators can change (and hand over).
 */
export async function assignMissingOwners(database: Database): Promise<void> {
  const orphans = await database.jobs
    .find({ owner: { $exists: false } }, { projection: { _id: 1 } })
    .toArray();
  for (const { _id } of orphans) {
    const first = await database.versions.findOne(
      { jobId: _id },
      { sort: { version: 1 }, projection: { createdBy: 1 } },
    );
    await database.jobs.updateOne(
      { _id, owner: { $exists: false } },
      { $set: { owner: first?.createdBy ?? NO_OWNER } },
    );
  }
}
