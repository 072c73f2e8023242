/**
 * Jobs and their immutable versions in MongoDB. Optimistic concurrency without transactions:
 * a new version document is inserted first under the unique (jobId, version) index, then the
 * job's currentVersion is advanced with a conditional update; losing either race is a 409.
 */
import type { Identity, Plan } from '@batchgraph/engine';
import {
  isDuplicateKey,
  type Database,
  type JobDoc,
  type JobScheduleDoc,
  type VersionDoc,
} from '../db';
import { SwrCache } from '../cache';
import { HttpError, notFound } from '../errors';

export interface NewVersion {
  name: string;
  description?: string;
  document: unknown;
  plan: Plan;
  schedule?: JobScheduleDoc;
  by: Identity;
}

export const nameTaken = (name: string): HttpError =>
  new HttpError(409, 'name_taken', `A job named "${name}" already exists`, { name });

const versionConflict = (currentVersion: number): HttpError =>
  new HttpError(
    409,
    'version_conflict',
    `The job was changed meanwhile: it is now at version ${currentVersion}. Reload it, or save with ?force=true to overwrite.`,
    { currentVersion },
  );

export class JobsRepository {
  /**
   * Every job, by name, held briefly in memory: the job list is read far more often than jobs
   * change, and FerretDB sorts and counts in its own process. Writes through this process
   * drop it at once; another API instance's writes show within a second.
   */
  private readonly index: SwrCache<JobDoc[]>;

  constructor(
    private readonly database: Database,
    onError: (error: unknown) => void,
  ) {
    this.index = new SwrCache(1000, 10_000, onError);
  }

  private changed(): void {
    this.index.delete('all');
  }

  async get(id: string): Promise<JobDoc> {
    const job = await this.database.jobs.findOne({ _id: id });
    if (job === null) throw notFound(`Job '${id}'`);
    return job;
  }

  async version(id: string, version: number): Promise<VersionDoc> {
    const doc = await this.database.versions.findOne({ jobId: id, version });
    if (doc === null) throw notFound(`Version ${version} of job '${id}'`);
    return doc;
  }

  async versions(id: string): Promise<VersionDoc[]> {
    return this.database.versions
      .find({ jobId: id }, { projection: { document: 0, plan: 0 } })
      .sort({ version: -1 })
      .toArray();
  }

  private versionDoc(id: string, version: number, input: NewVersion, at: Date): VersionDoc {
    return {
      jobId: id,
      version,
      document: JSON.stringify(input.document),
      plan: JSON.stringify(input.plan),
      createdAt: at,
      createdBy: input.by,
    };
  }

  async create(id: string, input: NewVersion): Promise<JobDoc> {
    const at = new Date();
    await this.database.versions.insertOne(this.versionDoc(id, 1, input, at));
    const job: JobDoc = {
      _id: id,
      name: input.name,
      currentVersion: 1,
      owner: input.by,
      createdAt: at,
      updatedAt: at,
    };
    if (input.description !== undefined) job.description = input.description;
    if (input.schedule !== undefined) job.schedule = input.schedule;
    try {
      await this.database.jobs.insertOne(job);
    } catch (error) {
      await this.database.versions.deleteOne({ jobId: id, version: 1 });
      if (isDuplicateKey(error)) throw nameTaken(input.name);
      throw error;
    }
    this.changed();
    return job;
  }

  /** Saves `input` as the version after `baseVersion` (or after the current one when forced). */
  async update(id: string, baseVersion: number | 'force', input: NewVersion): Promise<number> {
    const current = await this.get(id);
    const base = baseVersion === 'force' ? current.currentVersion : baseVersion;
    if (base !== current.currentVersion) throw versionConflict(current.currentVersion);
    const version = base + 1;
    const at = new Date();
    try {
      await this.database.versions.insertOne(this.versionDoc(id, version, input, at));
    } catch (error) {
      // Someone else saved this version number first; their job update may still be on its way.
      if (isDuplicateKey(error)) {
        throw versionConflict(Math.max(version, (await this.get(id)).currentVersion));
      }
      throw error;
    }
    const set: Partial<JobDoc> = { currentVersion: version, name: input.name, updatedAt: at };
    const unset: Record<string, ''> = {};
    if (input.description !== undefined) set.description = input.description;
    else unset['description'] = '';
    if (input.schedule !== undefined) set.schedule = input.schedule;
    else unset['schedule'] = '';
    try {
      const result = await this.database.jobs.updateOne(
        { _id: id, currentVersion: base },
        Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set },
      );
      if (result.matchedCount === 0) {
        await this.database.versions.deleteOne({ jobId: id, version });
        throw versionConflict((await this.get(id)).currentVersion);
      }
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.database.versions.deleteOne({ jobId: id, version });
      throw nameTaken(input.name);
    }
    this.changed();
    return version;
  }

  /** Hands the job to `owner`. */
  async setOwner(id: string, owner: Identity): Promise<void> {
    const result = await this.database.jobs.updateOne({ _id: id }, { $set: { owner } });
    if (result.matchedCount === 0) throw notFound(`Job '${id}'`);
    this.changed();
  }

  async delete(id: string): Promise<JobDoc> {
    const job = await this.get(id);
    await this.database.jobs.deleteOne({ _id: id });
    await this.database.versions.deleteMany({ jobId: id });
    this.changed();
    return job;
  }

  /** Jobs whose name or description contains `q` (case-insensitive), by name. */
  async all(q: string | undefined): Promise<JobDoc[]> {
    const jobs = await this.index.get('all', () =>
      this.database.jobs.find({}).sort({ name: 1 }).toArray(),
    );
    const needle = q?.trim().toLowerCase();
    if (!needle) return jobs;
    return jobs.filter(
      (job) =>
        job.name.toLowerCase().includes(needle) ||
        (job.description?.toLowerCase().includes(needle) ?? false),
    );
  }
}
