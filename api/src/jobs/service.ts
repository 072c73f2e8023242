/**
 * Saving jobs: validate and compile, store the version, then bring the job's Temporal Schedule
 * in line with it. Shared by create, update, import and duplicate.
 */
import {
  validateJob,
  type Identity,
  type Job,
  type JobInput,
  type Plan,
  type Problem,
  type Schedule,
} from '@batchgraph/engine';
import type { Services } from '../context';
import { ensurePlanFits } from '../data-limits';
import type { JobDoc, JobScheduleDoc } from '../db';
import { HttpError } from '../errors';
import { describeSpec } from '../schedules/spec';
import { newJobId } from './ids';
import { compileForSave, validJob, type CompiledJob } from './plans';
import { nameTaken, type NewVersion } from './repository';

export interface Saved {
  id: string;
  version: number;
  warnings: Problem[];
}

function scheduleDoc(schedule: Schedule | undefined): JobScheduleDoc | undefined {
  if (schedule === undefined) return undefined;
  return {
    kind:
      schedule.cron !== undefined ? 'cron' : schedule.preset !== undefined ? 'preset' : 'interval',
    description: describeSpec(schedule),
    timezone: schedule.timezone,
    enabled: schedule.enabled,
  };
}

export class JobService {
  constructor(private readonly services: Services) {}

  /** Compiles `document` as `version` of job `id`, and what the repository stores for it. */
  private async compileVersion(
    id: string,
    version: number,
    document: unknown,
    valid: { job: Job; warnings: Problem[] },
    by: Identity,
  ): Promise<{ compiled: CompiledJob; stored: NewVersion }> {
    const { database, config } = this.services;
    const compiled = await compileForSave(database, valid, {
      jobId: id,
      version,
      taskQueue: config.BATCHGRAPH_TASK_QUEUE,
    });
    ensurePlanFits(compiled.plan, config);
    const stored: NewVersion = {
      name: compiled.job.name,
      description: compiled.job.description,
      document,
      plan: compiled.plan,
      schedule: scheduleDoc(compiled.job.schedule),
      by,
    };
    return { compiled, stored };
  }

  async create(document: unknown, by: Identity): Promise<Saved> {
    const { jobs, database, schedules } = this.services;
    const valid = validJob(document);
    const { name } = valid.job;
    if ((await database.jobs.countDocuments({ name }, { limit: 1 })) > 0) throw nameTaken(name);
    for (let attempt = 0; ; attempt++) {
      const id = newJobId(name);
      if (
        attempt < 5 &&
        (await database.versions.countDocuments({ jobId: id }, { limit: 1 })) > 0
      ) {
        continue;
      }
      const { compiled, stored } = await this.compileVersion(id, 1, document, valid, by);
      const job = await jobs.create(id, stored);
      if (compiled.job.schedule !== undefined) {
        try {
          await schedules.save(
            {
              id,
              name: job.name,
              version: 1,
              owner: by,
              plan: compiled.plan,
              schedule: compiled.job.schedule,
              inputs: compiled.job.inputs,
            },
            undefined,
          );
        } catch (error) {
          // Without its schedule the job would silently never run on time: undo the save.
          await jobs.delete(id);
          throw error;
        }
      }
      return { id, version: 1, warnings: compiled.warnings };
    }
  }

  async update(
    id: string,
    baseVersion: number | 'force',
    document: unknown,
    by: Identity,
  ): Promise<Saved & { previous: JobInput }> {
    const { jobs, schedules } = this.services;
    const valid = validJob(document);
    const current = await jobs.get(id);
    const previousVersion = await jobs.version(id, current.currentVersion);
    const previous = JSON.parse(previousVersion.document) as JobInput;
    const version = (baseVersion === 'force' ? current.currentVersion : baseVersion) + 1;
    const { compiled, stored } = await this.compileVersion(id, version, document, valid, by);
    const saved = await jobs.update(id, baseVersion, stored);
    // The stored version was valid when saved: its schedule is read as it is, not re-validated.
    const before = previous.schedule;
    try {
      if (compiled.job.schedule === undefined) await schedules.remove(id);
      else {
        await schedules.save(
          {
            id,
            name: compiled.job.name,
            version: saved,
            owner: current.owner,
            plan: compiled.plan,
            schedule: compiled.job.schedule,
            inputs: compiled.job.inputs,
          },
          before,
        );
      }
    } catch (error) {
      throw new HttpError(
        503,
        'unavailable',
        `Saved version ${saved}, but its Temporal Schedule could not be updated (Temporal is unavailable?); save again to retry`,
        { version: saved },
        { cause: error },
      );
    }
    return { id, version: saved, warnings: compiled.warnings, previous };
  }

  /**
   * Hands the job to `owner`; its schedule is saved again so that scheduled runs act as the new
   * owner from now on (its live state, such as a pause, is kept).
   */
  async transfer(job: JobDoc, owner: Identity): Promise<void> {
    const { jobs, schedules } = this.services;
    await jobs.setOwner(job._id, owner);
    const version = await jobs.version(job._id, job.currentVersion);
    const checked = validateJob(JSON.parse(version.document));
    if (!checked.ok || checked.job.schedule === undefined) return;
    await schedules.save(
      {
        id: job._id,
        name: job.name,
        version: job.currentVersion,
        owner,
        plan: JSON.parse(version.plan) as Plan,
        schedule: checked.job.schedule,
      },
      checked.job.schedule,
    );
  }

  async delete(id: string): Promise<JobDoc> {
    const { jobs, schedules } = this.services;
    await jobs.get(id);
    // The schedule goes first: a job without a schedule is better than a schedule without a job.
    await schedules.remove(id);
    return jobs.delete(id);
  }

  /** A free name like "nightly (copy)", "nightly (copy 2)", … */
  async copyName(name: string): Promise<string> {
    for (let n = 1; ; n++) {
      const candidate = `${name} (copy${n === 1 ? '' : ` ${n}`})`.slice(0, 100);
      if (
        (await this.services.database.jobs.countDocuments({ name: candidate }, { limit: 1 })) === 0
      ) {
        return candidate;
      }
    }
  }
}
