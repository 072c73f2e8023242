/**
 * Compiling a job for saving: validation, then the plans of its sub-jobs. A `subjob` task runs
 * the version pinned in its params, or the target's current version at save time; that version's
 * stored plan already holds its own sub-plans, so resolution is one lookup per task.
 */
import {
  compile,
  validateJob,
  jsonPath,
  type Job,
  type Plan,
  type Problem,
  type SubjobParams,
} from '@batchgraph/engine';
import type { Database } from '../db';
import { HttpError } from '../errors';

export interface CompiledJob {
  job: Job;
  plan: Plan;
  warnings: Problem[];
}

export function invalidJob(errors: Problem[]): HttpError {
  return new HttpError(
    400,
    'invalid_job',
    `The job has ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${errors
      .slice(0, 3)
      .map((p) => `${p.path} ${p.message}`)
      .join('; ')}`,
    errors,
  );
}

/** Every job id a plan runs, its own and its sub-plans', recursively. */
function jobIdsIn(plan: Plan, into = new Set<string>()): Set<string> {
  if (plan.job.id !== undefined) into.add(plan.job.id);
  for (const subplan of Object.values(plan.subplans)) jobIdsIn(subplan, into);
  return into;
}

async function resolveSubplans(
  database: Database,
  job: Job,
  jobId: string,
): Promise<{ subplans: Record<string, Plan>; errors: Problem[] }> {
  const subplans: Record<string, Plan> = {};
  const errors: Problem[] = [];
  for (const [index, task] of job.tasks.entries()) {
    if (task.type !== 'subjob') continue;
    const params: SubjobParams = task.params;
    const path = jsonPath(['tasks', index, 'params', 'jobId']);
    if (params.jobId === jobId) {
      errors.push({ path, code: 'cycle', message: `Task '${task.id}' runs its own job` });
      continue;
    }
    const target = await database.jobs.findOne({ _id: params.jobId });
    if (target === null) {
      errors.push({
        path,
        code: 'invalid_value',
        message: `Task '${task.id}': job '${params.jobId}' does not exist`,
      });
      continue;
    }
    const version = params.version ?? target.currentVersion;
    const stored = await database.versions.findOne({ jobId: params.jobId, version });
    if (stored === null) {
      errors.push({
        path: jsonPath([
          'tasks',
          index,
          'params',
          params.version === undefined ? 'jobId' : 'version',
        ]),
        code: 'invalid_value',
        message: `Task '${task.id}': job '${params.jobId}' has no version ${version}`,
      });
      continue;
    }
    const plan = JSON.parse(stored.plan) as Plan;
    if (jobIdsIn(plan).has(jobId)) {
      errors.push({
        path,
        code: 'cycle',
        message: `Task '${task.id}': job '${params.jobId}' version ${version} runs this job again (a sub-job cycle)`,
      });
      continue;
    }
    subplans[task.id] = plan;
  }
  return { subplans, errors };
}

/** A document validated once per request: the job it holds, or a 400 listing every problem. */
export function validJob(document: unknown): { job: Job; warnings: Problem[] } {
  const checked = validateJob(document);
  if (!checked.ok) throw invalidJob(checked.errors);
  return { job: checked.job, warnings: checked.warnings };
}

/** Compiles a validated job for saving as `version` of `jobId`, with its sub-jobs' plans. */
export async function compileForSave(
  database: Database,
  valid: { job: Job; warnings: Problem[] },
  options: { jobId: string; version: number; taskQueue: string },
): Promise<CompiledJob> {
  const { subplans, errors } = await resolveSubplans(database, valid.job, options.jobId);
  if (errors.length > 0) throw invalidJob(errors);
  return { ...valid, plan: compile(valid.job, { ...options, subplans }) };
}
