/** /api/jobs and /api/validate: jobs, their versions, export/import and duplication. */
import { runStatuses, validateJob, type JobInput, type RunSummary } from '@batchgraph/engine';
import { Router } from 'express';
import { z } from 'zod';
import { callerOf, identityOf, requireRole } from '../auth';
import type { Services } from '../context';
import type { JobDoc } from '../db';
import { HttpError } from '../errors';
import { Limiter } from '../limit';
import { parseRequest } from '../validation';
import { diffJobs } from './diff';
import { requireJobOwner } from './ownership';
import { JobService } from './service';

export const jobListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  paused: z.enum(['true', 'false']).optional(),
  status: z.enum(runStatuses).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const updateJobSchema = z.strictObject({
  baseVersion: z.number().int().min(1).optional(),
  document: z.unknown(),
});

export const transferJobSchema = z.strictObject({
  keyId: z.string().min(1).max(200).meta({ description: 'The API key (person) to own the job' }),
});

export const duplicateJobSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  scheduleEnabled: z.boolean().optional().meta({
    description:
      "Whether the copy's schedule starts enabled. Default false: a copy never doubles the original's runs unless asked.",
  }),
});

const jobIdSchema = z.string().min(1).max(200);
const versionSchema = z.coerce.number().int().min(1);

export interface JobSummary {
  id: string;
  name: string;
  description?: string;
  version: number;
  owner: { id: string; name: string };
  updatedAt: string;
  schedule?: {
    kind: string;
    description: string;
    timezone: string;
    nextRunAt?: string;
    paused: boolean;
    note?: string;
  };
  lastRun?: { runId: string; status: string; startedAt: string; endedAt?: string };
}

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function jobRoutes(services: Services): Router {
  const { jobs, audit, logger } = services;
  const service = new JobService(services);
  const router = Router();
  // The list's lookups in Temporal (visibility, schedule describes) go a few at a time.
  const temporalLookups = new Limiter(8);

  /** List entries carry live state from Temporal when it answers, and still list when it does not. */
  const summarize = async (job: JobDoc): Promise<JobSummary> => {
    const summary: JobSummary = {
      id: job._id,
      name: job.name,
      version: job.currentVersion,
      owner: job.owner,
      updatedAt: job.updatedAt.toISOString(),
    };
    if (job.description !== undefined) summary.description = job.description;
    const [state, lastRun] = await Promise.all([
      job.schedule === undefined
        ? undefined
        : temporalLookups
            .run(() => services.schedules.state(job._id))
            .catch((error: unknown) => {
              logger.debug({ err: error }, 'schedule state unavailable');
              return undefined;
            }),
      services.lastRuns
        .get(job._id, async () =>
          temporalLookups.run(async () => (await services.runs.latest(job._id)) ?? null),
        )
        .catch((error: unknown): RunSummary | null => {
          logger.debug({ err: error }, 'last run unavailable');
          return null;
        }),
    ]);
    if (job.schedule !== undefined) {
      summary.schedule = {
        kind: job.schedule.kind,
        description: job.schedule.description,
        timezone: job.schedule.timezone,
        paused: state?.paused ?? !job.schedule.enabled,
      };
      if (state?.nextRunAt !== undefined) summary.schedule.nextRunAt = state.nextRunAt;
      if (state?.note !== undefined) summary.schedule.note = state.note;
    }
    if (lastRun) {
      summary.lastRun = {
        runId: lastRun.runId,
        status: lastRun.status,
        startedAt: lastRun.startedAt,
      };
      if (lastRun.endedAt !== undefined) summary.lastRun.endedAt = lastRun.endedAt;
    }
    return summary;
  };

  router.get('/jobs', requireRole('viewer'), async (req, res) => {
    const query = parseRequest(jobListQuerySchema, req.query, 'query');
    const skip = (query.page - 1) * query.pageSize;
    const candidates = await jobs.all(query.q);
    let items: JobSummary[];
    let total: number;
    if (query.paused === undefined && query.status === undefined) {
      items = await Promise.all(candidates.slice(skip, skip + query.pageSize).map(summarize));
      total = candidates.length;
    } else {
      // Live-state filters need every candidate's state before paging.
      const all = await mapLimit(candidates, 16, summarize);
      const kept = all.filter(
        (job) =>
          (query.paused === undefined ||
            (job.schedule !== undefined && job.schedule.paused === (query.paused === 'true'))) &&
          (query.status === undefined || job.lastRun?.status === query.status),
      );
      items = kept.slice(skip, skip + query.pageSize);
      total = kept.length;
    }
    res.json({ items, total, page: query.page, pageSize: query.pageSize });
  });

  router.post('/jobs', requireRole('analyst'), async (req, res) => {
    const saved = await service.create(req.body, identityOf(res));
    await audit(req, res, { action: 'job.created', jobId: saved.id, details: { version: 1 } });
    res.status(201).json(created(saved));
  });

  router.post('/jobs/import', requireRole('analyst'), async (req, res) => {
    const saved = await service.create(req.body, identityOf(res));
    await audit(req, res, { action: 'job.imported', jobId: saved.id, details: { version: 1 } });
    res.status(201).json(created(saved));
  });

  router.post('/validate', requireRole('viewer'), (req, res) => {
    const result = validateJob(req.body);
    res.json({ ok: result.ok, errors: result.ok ? [] : result.errors, warnings: result.warnings });
  });

  router.get('/jobs/:id', requireRole('viewer'), async (req, res) => {
    const job = await jobs.get(parseRequest(jobIdSchema, req.params['id'], 'job id'));
    const version = await jobs.version(job._id, job.currentVersion);
    const document = JSON.parse(version.document) as unknown;
    res.json({
      id: job._id,
      name: job.name,
      version: job.currentVersion,
      document,
      owner: job.owner,
      createdAt: job.createdAt.toISOString(),
      updatedAt: job.updatedAt.toISOString(),
      warnings: validateJob(document).warnings,
    });
  });

  router.put('/jobs/:id', requireRole('analyst'), async (req, res) => {
    const id = parseRequest(jobIdSchema, req.params['id'], 'job id');
    const body = parseRequest(updateJobSchema, req.body);
    requireJobOwner(callerOf(res), await jobs.get(id), 'save a new version of it');
    const force = req.query['force'] === 'true';
    if (!force && body.baseVersion === undefined) {
      throw new HttpError(400, 'invalid_request', 'baseVersion is required (or use ?force=true)', [
        { path: '$.baseVersion', code: 'required', message: 'is required' },
      ]);
    }
    const saved = await service.update(
      id,
      force ? 'force' : body.baseVersion!,
      body.document,
      identityOf(res),
    );
    await audit(req, res, {
      action: 'job.updated',
      jobId: id,
      details: {
        version: saved.version,
        forced: force,
        diff: diffJobs(saved.previous, body.document as JobInput),
      },
    });
    res.json(created(saved));
  });

  router.delete('/jobs/:id', requireRole('analyst'), async (req, res) => {
    const id = parseRequest(jobIdSchema, req.params['id'], 'job id');
    requireJobOwner(callerOf(res), await jobs.get(id), 'delete it');
    const job = await service.delete(id);
    await audit(req, res, { action: 'job.deleted', jobId: job._id, details: { name: job.name } });
    res.status(204).end();
  });

  router.put('/jobs/:id/owner', requireRole('analyst'), async (req, res) => {
    const id = parseRequest(jobIdSchema, req.params['id'], 'job id');
    const body = parseRequest(transferJobSchema, req.body);
    const job = await jobs.get(id);
    requireJobOwner(callerOf(res), job, 'hand it over');
    const key = await services.database.keys.findOne({ _id: body.keyId, revoked: false });
    if (key === null) {
      throw new HttpError(400, 'invalid_request', `No active API key '${body.keyId}'`, [
        { path: '$.keyId', code: 'unknown_key', message: `no active API key '${body.keyId}'` },
      ]);
    }
    if (key.role === 'viewer') {
      throw new HttpError(400, 'invalid_request', `${key.name} is a viewer and cannot own jobs`, [
        { path: '$.keyId', code: 'viewer', message: 'a viewer cannot own jobs' },
      ]);
    }
    const owner = { id: key._id, name: key.name };
    await service.transfer(job, owner);
    await audit(req, res, {
      action: 'job.transferred',
      jobId: id,
      details: { from: job.owner, to: owner },
    });
    res.json({ id, owner });
  });

  router.get('/jobs/:id/versions', requireRole('viewer'), async (req, res) => {
    const job = await jobs.get(parseRequest(jobIdSchema, req.params['id'], 'job id'));
    const versions = await jobs.versions(job._id);
    res.json({
      items: versions.map((v) => ({
        version: v.version,
        createdAt: v.createdAt.toISOString(),
        createdBy: v.createdBy,
      })),
    });
  });

  router.get('/jobs/:id/versions/:v', requireRole('viewer'), async (req, res) => {
    const id = parseRequest(jobIdSchema, req.params['id'], 'job id');
    const v = await jobs.version(id, parseRequest(versionSchema, req.params['v'], 'version'));
    res.json({
      version: v.version,
      document: JSON.parse(v.document) as unknown,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
    });
  });

  router.post('/jobs/:id/duplicate', requireRole('analyst'), async (req, res) => {
    const id = parseRequest(jobIdSchema, req.params['id'], 'job id');
    const body = parseRequest(duplicateJobSchema, req.body ?? {});
    const job = await jobs.get(id);
    const version = await jobs.version(id, job.currentVersion);
    const document = JSON.parse(version.document) as Record<string, unknown>;
    const name = body.name ?? (await service.copyName(job.name));
    const saved = await service.create(
      withScheduleEnabled({ ...document, name }, body.scheduleEnabled ?? false),
      identityOf(res),
    );
    await audit(req, res, {
      action: 'job.duplicated',
      jobId: saved.id,
      details: { from: id, version: job.currentVersion },
    });
    res.status(201).json(created(saved));
  });

  router.get('/jobs/:id/export', requireRole('viewer'), async (req, res) => {
    const job = await jobs.get(parseRequest(jobIdSchema, req.params['id'], 'job id'));
    const version = await jobs.version(job._id, job.currentVersion);
    res.attachment(`${job.name}.json`);
    res.type('application/json').send(version.document);
  });

  return router;
}

/** The document with its schedule (if it has one) set to start enabled or paused. */
function withScheduleEnabled(document: Record<string, unknown>, enabled: boolean) {
  const { schedule } = document;
  if (typeof schedule !== 'object' || schedule === null) return document;
  return { ...document, schedule: { ...schedule, enabled } };
}

function created(saved: {
  id: string;
  version: number;
  warnings: unknown[];
}): Record<string, unknown> {
  return saved.warnings.length > 0
    ? { id: saved.id, version: saved.version, warnings: saved.warnings }
    : { id: saved.id, version: saved.version };
}
