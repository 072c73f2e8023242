/** /api/runs and /api/jobs/:id/runs: start, list, read, watch, cancel and retry runs. */
import {
  isOutputRef,
  resolveRunInput,
  taskIdSchema,
  type JobInput,
  type Plan,
} from '@batchgraph/engine';
import { Router } from 'express';
import { z } from 'zod';
import { identityOf, requireRole } from '../auth';
import type { Services } from '../context';
import { badRequest, HttpError, notFound } from '../errors';
import { searchAttributes } from '../temporal';
import { parseRequest } from '../validation';
import { streamRunEvents } from './events';
import { runIdentity } from './identity';
import { runListQuerySchema } from './reader';
import { retryPlanQuerySchema, retryRunSchema } from './retry';

export const startRunSchema = z.strictObject({
  input: z
    .unknown()
    .optional()
    .meta({
      description:
        "Input given to the run ({{ input.* }}): an object checked against the job's declared " +
        'inputs, whose defaults fill in what it leaves out.',
    }),
});

/** The run's input checked against the version's declared inputs, defaults filled in; or a 400. */
function runInputFor(document: string, input: unknown): Record<string, unknown> {
  const { inputs } = JSON.parse(document) as JobInput;
  const resolved = resolveRunInput(inputs, input);
  if (resolved.ok) return resolved.input;
  throw badRequest(
    `The run input is invalid: ${resolved.errors.map((p) => p.message).join(' ')}`,
    resolved.errors,
  );
}

const runIdSchema = z.string().min(1).max(400);

export function runRoutes(services: Services): Router {
  const { runs, starter, retrier, jobs, audit, database, logger } = services;
  const router = Router();

  router.post('/jobs/:id/runs', requireRole('analyst'), async (req, res) => {
    const body = parseRequest(startRunSchema, req.body ?? {});
    const job = await jobs.get(req.params['id'] as string);
    const version = await jobs.version(job._id, job.currentVersion);
    const input = runInputFor(version.document, body.input);
    const runId = await starter.start({
      jobId: job._id,
      jobName: job.name,
      version: job.currentVersion,
      plan: JSON.parse(version.plan) as Plan,
      input,
      trigger: 'manual',
      startedBy: runIdentity({ trigger: 'manual', starter: identityOf(res) }),
    });
    services.lastRuns.delete(job._id);
    await audit(req, res, {
      action: 'run.started',
      jobId: job._id,
      runId,
      details: { version: job.currentVersion },
    });
    res.status(202).json({ runId });
  });

  router.get('/runs', requireRole('viewer'), async (req, res) => {
    res.json(await runs.list(parseRequest(runListQuerySchema, req.query, 'query')));
  });

  router.get('/runs/:runId', requireRole('viewer'), async (req, res) => {
    res.json(await runs.get(parseRequest(runIdSchema, req.params['runId'], 'run id')));
  });

  router.get(
    '/runs/:runId/tasks/:taskId/temporal-link',
    requireRole('viewer'),
    async (req, res) => {
      const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
      const taskId = parseRequest(taskIdSchema, req.params['taskId'], 'task id');
      res.json({ url: await runs.taskLink(runId, taskId) });
    },
  );

  router.get('/runs/:runId/events', requireRole('viewer'), async (req, res) => {
    const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
    await streamRunEvents(req, res, () => runs.get(runId), logger);
  });

  router.post('/runs/:runId/cancel', requireRole('operator'), async (req, res) => {
    const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
    const description = await runs.describe(runId);
    if (description.status.name !== 'RUNNING') {
      throw new HttpError(409, 'conflict', `Run '${runId}' is not running`);
    }
    await runs.handle(runId).cancel();
    runs.forget(runId);
    await audit(req, res, {
      action: 'run.cancelled',
      runId,
      jobId: description.typedSearchAttributes.get(searchAttributes.jobId) ?? undefined,
    });
    res.status(202).json({ ok: true });
  });

  router.get('/runs/:runId/retry-plan', requireRole('viewer'), async (req, res) => {
    const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
    const { version } = parseRequest(retryPlanQuerySchema, req.query, 'query');
    res.json(await retrier.preview(runId, version));
  });

  router.post('/runs/:runId/retry', requireRole('operator'), async (req, res) => {
    const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
    const { version } = parseRequest(retryRunSchema, req.body ?? {});
    const retriedBy = identityOf(res);
    const retry = await retrier.retry(runId, version, retriedBy);
    if (retry.preview) {
      const { preview } = retry;
      const { jobId } = preview;
      services.lastRuns.delete(jobId);
      await audit(req, res, {
        action: 'run.retried',
        jobId,
        runId: retry.runId,
        details: {
          retryOf: runId,
          retriedBy,
          version: preview.version,
          versionChoice: preview.versionChoice,
          rerun: preview.rerun,
          reused: preview.reused,
        },
      });
    }
    res.status(202).json({ runId: retry.runId, created: retry.created });
  });

  router.get('/runs/:runId/tasks/:taskId/output', requireRole('viewer'), async (req, res) => {
    const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
    const taskId = parseRequest(runIdSchema, req.params['taskId'], 'task id');
    const held = await runs.heldOutput(runId, taskId);
    if (held === undefined) throw notFound(`An output of task '${taskId}' in run '${runId}'`);
    if (!isOutputRef(held)) {
      res.json(held);
      return;
    }
    const json = await services.outputs.get(held.outputRef);
    if (json === undefined)
      throw notFound(`The stored output of task '${taskId}' in run '${runId}'`);
    // The stored JSON text as it is: no parse and re-serialize of up to 16 MB.
    res.type('application/json').send(json);
  });

  router.get('/runs/:runId/tasks/:taskId/log', requireRole('viewer'), async (req, res) => {
    const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
    const taskId = parseRequest(runIdSchema, req.params['taskId'], 'task id');
    const docs = await database.taskLogs
      .find({ runId, taskId })
      .sort({ at: 1 })
      .limit(10_000)
      .toArray();
    res.json({
      lines: docs.map((doc) => ({
        at: doc.at.toISOString(),
        attempt: doc.attempt,
        stream: doc.stream,
        text: doc.text,
      })),
    });
  });

  return router;
}
