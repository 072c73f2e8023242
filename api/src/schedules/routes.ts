/** /api/jobs/:id/schedule… and /api/schedules/…: read, pause, resume, trigger and backfill. */
import { overlapPolicies, validateJob, type Schedule } from '@batchgraph/engine';
import { Router } from 'express';
import { z } from 'zod';
import { callerOf, requireRole } from '../auth';
import type { Services } from '../context';
import { HttpError, notFound } from '../errors';
import { requireJobOwner } from '../jobs/ownership';
import { parseRequest } from '../validation';

export const pauseSchema = z.strictObject({ note: z.string().trim().min(1).max(500) });
export const resumeSchema = z.strictObject({ note: z.string().trim().max(500).optional() });
export const triggerSchema = z.strictObject({ overlap: z.enum(overlapPolicies).optional() });
export const backfillSchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    overlap: z.enum(overlapPolicies).optional(),
  })
  .refine((body) => Date.parse(body.from) < Date.parse(body.to), {
    path: ['to'],
    message: 'must be after from',
  });

const selection = {
  ids: z.array(z.string().min(1).max(200)).max(1000).optional(),
  filter: z.strictObject({ q: z.string().max(200).optional() }).optional(),
};
const selectsSomething = (body: { ids?: string[]; filter?: object }): boolean =>
  body.ids !== undefined || body.filter !== undefined;
const selectionMessage = { message: 'give ids or a filter', path: ['ids'] };

export const bulkPauseSchema = z
  .strictObject({ ...selection, note: z.string().trim().min(1).max(500) })
  .refine(selectsSomething, selectionMessage);
export const bulkResumeSchema = z
  .strictObject({ ...selection, note: z.string().trim().max(500).optional() })
  .refine(selectsSomething, selectionMessage);

export function scheduleRoutes(services: Services): Router {
  const { jobs, schedules, audit } = services;
  const router = Router();

  /** The job's schedule as its current version defines it; 404 when it has none. */
  const scheduleOf = async (id: string): Promise<{ jobId: string; schedule: Schedule }> => {
    const job = await jobs.get(id);
    const version = await jobs.version(id, job.currentVersion);
    const checked = validateJob(JSON.parse(version.document));
    if (!checked.ok || checked.job.schedule === undefined) {
      throw notFound(`A schedule for job '${id}'`);
    }
    return { jobId: id, schedule: checked.job.schedule };
  };

  const jobIdOf = (value: unknown): string =>
    parseRequest(z.string().min(1).max(200), value, 'job id');

  router.get('/jobs/:id/schedule', requireRole('viewer'), async (req, res) => {
    const { jobId, schedule } = await scheduleOf(jobIdOf(req.params['id']));
    res.json(await schedules.view(jobId, schedule));
  });

  router.post('/jobs/:id/schedule/pause', requireRole('admin'), async (req, res) => {
    const body = parseRequest(pauseSchema, req.body);
    const { jobId, schedule } = await scheduleOf(jobIdOf(req.params['id']));
    await schedules.pause(jobId, body.note);
    await audit(req, res, { action: 'schedule.paused', jobId, details: { note: body.note } });
    res.json(await schedules.view(jobId, schedule));
  });

  router.post('/jobs/:id/schedule/resume', requireRole('admin'), async (req, res) => {
    const body = parseRequest(resumeSchema, req.body ?? {});
    const { jobId, schedule } = await scheduleOf(jobIdOf(req.params['id']));
    await schedules.resume(jobId, body.note);
    await audit(req, res, { action: 'schedule.resumed', jobId, details: { note: body.note } });
    res.json(await schedules.view(jobId, schedule));
  });

  router.post('/jobs/:id/schedule/trigger', requireRole('analyst'), async (req, res) => {
    const body = parseRequest(triggerSchema, req.body ?? {});
    const id = jobIdOf(req.params['id']);
    // The run acts as the owner, with the owner's connections.
    requireJobOwner(callerOf(res), await jobs.get(id), 'trigger its schedule', 'operator');
    const { jobId } = await scheduleOf(id);
    await schedules.trigger(jobId, body.overlap);
    services.lastRuns.delete(jobId);
    await audit(req, res, {
      action: 'schedule.triggered',
      jobId,
      details: { overlap: body.overlap },
    });
    res.status(202).json({ ok: true });
  });

  router.post('/jobs/:id/schedule/backfill', requireRole('operator'), async (req, res) => {
    const body = parseRequest(backfillSchema, req.body);
    checkBackfillRange(body.from, body.to, services.config.BATCHGRAPH_BACKFILL_MAX_DAYS);
    const { jobId } = await scheduleOf(jobIdOf(req.params['id']));
    await schedules.backfill(jobId, new Date(body.from), new Date(body.to), body.overlap);
    await audit(req, res, {
      action: 'schedule.backfilled',
      jobId,
      details: { from: body.from, to: body.to, overlap: body.overlap },
    });
    res.status(202).json({ ok: true });
  });

  /** Jobs with a schedule among the given ids, or matching the filter. */
  const selected = async (body: { ids?: string[]; filter?: { q?: string } }): Promise<string[]> => {
    if (body.ids !== undefined) {
      const docs = await services.database.jobs
        .find({ _id: { $in: body.ids }, schedule: { $exists: true } }, { projection: { _id: 1 } })
        .toArray();
      return docs.map((doc) => doc._id);
    }
    const matching = await jobs.all(body.filter?.q);
    return matching.filter((job) => job.schedule !== undefined).map((job) => job._id);
  };

  router.post('/schedules/pause', requireRole('admin'), async (req, res) => {
    const body = parseRequest(bulkPauseSchema, req.body);
    const paused: string[] = [];
    for (const jobId of await selected(body)) {
      if (!(await schedules.pause(jobId, body.note).then(() => true, skipMissing))) continue;
      paused.push(jobId);
      await audit(req, res, {
        action: 'schedule.paused',
        jobId,
        details: { note: body.note, bulk: true },
      });
    }
    res.json({ paused });
  });

  router.post('/schedules/resume', requireRole('admin'), async (req, res) => {
    const body = parseRequest(bulkResumeSchema, req.body);
    const resumed: string[] = [];
    for (const jobId of await selected(body)) {
      if (!(await schedules.resume(jobId, body.note).then(() => true, skipMissing))) continue;
      resumed.push(jobId);
      await audit(req, res, {
        action: 'schedule.resumed',
        jobId,
        details: { note: body.note, bulk: true },
      });
    }
    res.json({ resumed });
  });

  return router;
}

const DAY_MS = 86_400_000;

/**
 * A backfill's range: at most `maxDays` long, and not before 1970, whose occurrences Temporal
 * cannot start (it would drop them silently), so they are reported instead.
 */
function checkBackfillRange(from: string, to: string, maxDays: number): void {
  if (Date.parse(from) < 0) {
    throw new HttpError(
      400,
      'invalid_request',
      'The backfill starts before 1970-01-01: Temporal cannot run occurrences before the Unix epoch',
      [{ path: '$.from', code: 'before_epoch', message: 'must be 1970-01-01T00:00:00Z or later' }],
    );
  }
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (days > maxDays) {
    throw new HttpError(
      400,
      'invalid_request',
      `The backfill covers ${Math.ceil(days)} days; one backfill may cover at most ${maxDays} (BATCHGRAPH_BACKFILL_MAX_DAYS)`,
      [{ path: '$.to', code: 'too_big', message: `must be at most ${maxDays} days after from` }],
    );
  }
}

/** A schedule deleted meanwhile is nothing to pause; anything else is a real failure. */
function skipMissing(error: unknown): false {
  if (error instanceof HttpError && error.status === 404) return false;
  throw error;
}
