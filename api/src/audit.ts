/**
 * The audit log: an append-only record of every change, with who, when, what and from where.
 */
import { auditActions, type AuditAction, type AuditEntry } from '@batchgraph/engine';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { identityOf, requireRole } from './auth';
import type { AuditDoc, Database } from './db';
import { parseRequest } from './validation';

/** A change to record; who, when and from where the recorder adds. */
export interface AuditEvent {
  action: AuditAction;
  jobId?: string;
  runId?: string;
  details?: Record<string, unknown>;
}

export type AuditRecorder = (req: Request, res: Response, event: AuditEvent) => Promise<void>;

export function auditRecorder(database: Database): AuditRecorder {
  return async (req, res, event) => {
    const doc: AuditDoc = {
      at: new Date(),
      actor: identityOf(res),
      action: event.action,
      details: event.details ?? {},
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    };
    if (event.jobId !== undefined) doc.jobId = event.jobId;
    if (event.runId !== undefined) doc.runId = event.runId;
    await database.audit.insertOne(doc);
  };
}

export const auditQuerySchema = z.object({
  jobId: z.string().optional(),
  actor: z.string().optional().meta({ description: 'Actor id or name' }),
  action: z.enum(auditActions).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function auditRoutes(database: Database): Router {
  const router = Router();
  router.get('/audit', requireRole('admin'), async (req, res) => {
    const query = parseRequest(auditQuerySchema, req.query, 'query');
    const filter: Record<string, unknown> = {};
    if (query.jobId !== undefined) filter['jobId'] = query.jobId;
    if (query.action !== undefined) filter['action'] = query.action;
    if (query.actor !== undefined) {
      filter['$or'] = [{ 'actor.id': query.actor }, { 'actor.name': query.actor }];
    }
    if (query.from !== undefined || query.to !== undefined) {
      const at: Record<string, Date> = {};
      if (query.from !== undefined) at['$gte'] = new Date(query.from);
      if (query.to !== undefined) at['$lte'] = new Date(query.to);
      filter['at'] = at;
    }
    const docs = await database.audit
      .find(filter)
      .sort({ at: -1, _id: -1 })
      .limit(query.limit)
      .toArray();
    res.json({
      items: docs.map((doc): AuditEntry => ({
        id: String(doc._id),
        at: doc.at.toISOString(),
        actor: doc.actor,
        action: doc.action,
        jobId: doc.jobId,
        runId: doc.runId,
        details: doc.details,
        ip: doc.ip,
      })),
    });
  });
  return router;
}
