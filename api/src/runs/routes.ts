/** /api/runs and /api/jobs/:id/runs: start, list, read, watch, cancel and retry runs. */
import type { Plan, ReusedTask } from '@batchgraph/engine';
import { Router } from 'express';
import { z } from 'zod';
import { identityOf, requireRole } from '../auth';
import type { Services } from '../context';
import { HttpError } from '../errors';
import { searchAttributes } from '../temporal';
import { parseRequest } from '../validation';
import { streamRunEvents } from './events';
import { runIdentity } from './identity';
import { runListQuerySchema } from './reader';

export const startRunSchema = z.strictObject({
  input: z.unknown().optional().meta({ description: 'Input given to the run ({{ input.* }})' }),
});

const runIdSchema = z.string().min(1).max(400);

export function runRoutes(services: Services): Router {
  const { runs, starter, jobs, audit, database, logger } = services;
  const router = Router();

  router.post('/jobs/:id/runs', requireRole('analyst'), async (req, res) => {
    const body = parseRequest(startRunSchema, req.body ?? {});
    const job = await jobs.get(req.params['id'] as string);
    const version = await jobs.version(job._id, job.currentVersion);
    const runId = await starter.start({
      jobId: job._id,
      jobName: job.name,
      version: job.currentVersion,
      plan: JSON.parse(version.plan) as Plan,
      input: body.input,
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

  router.post('/runs/:runId/retry', requireRole('operator'), async (req, res) => {
    const runId = parseRequest(runIdSchema, req.params['runId'], 'run id');
    const description = await runs.describe(runId);
    if (description.status.name !== 'FAILED') {
      throw new HttpError(
        409,
        'conflict',
        `Run '${runId}' did not fail; only failed runs can be retried`,
      );
    }
    const result = await runs.failedResult(runId);
    if (result === undefined) {
      throw new HttpError(
        409,
        'conflict',
        `Run '${runId}' failed without a run result to retry from`,
      );
    }
    const original = await runs.input(runId);
    const reuse: Record<string, ReusedTask> = {};
    for (const [taskId, task] of Object.entries(result.tasks)) {
      if (task.state === 'succeeded') reuse[taskId] = { output: result.outputs[taskId] };
    }
    const jobId = original.plan.job.id ?? result.jobId ?? '';
    const newRunId = await starter.start({
      jobId,
      jobName: original.plan.job.name,
      version: original.plan.job.version ?? result.version ?? 0,
      plan: original.plan,
      input: original.input,
      trigger: 'retry',
      startedBy: runIdentity({ trigger: 'retry', original: original.startedBy }),
      reuse,
      retryOf: runId,
    });
    services.lastRuns.delete(jobId);
    await audit(req, res, {
      action: 'run.retried',
      jobId,
      runId: newRunId,
      details: { retryOf: runId, reused: Object.keys(reuse) },
    });
    res.status(202).json({ runId: newRunId });
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
