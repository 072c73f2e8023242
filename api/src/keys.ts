/** /api/keys and /api/me: API keys (admin) and the caller's own identity. */
import { Router } from 'express';
import { z } from 'zod';
import { callerOf, createKey, identityOf, requireRole } from './auth';
import type { Services } from './context';
import { notFound } from './errors';
import { roles } from './roles';
import { parseRequest } from './validation';

export const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(roles),
});

export function keyRoutes(services: Services): Router {
  const { database, audit, keys } = services;
  const router = Router();

  router.get('/me', (_req, res) => {
    const { id, name, role } = callerOf(res);
    res.json({ id, name, role });
  });

  router.get('/keys', requireRole('admin'), async (_req, res) => {
    const docs = await database.keys
      .find({}, { projection: { hash: 0 } })
      .sort({ createdAt: 1 })
      .toArray();
    res.json({
      items: docs.map((doc) => ({
        id: doc._id,
        name: doc.name,
        role: doc.role,
        createdAt: doc.createdAt.toISOString(),
        revoked: doc.revoked,
      })),
    });
  });

  router.post('/keys', requireRole('admin'), async (req, res) => {
    const body = parseRequest(createKeySchema, req.body);
    const created = await createKey(database, body.name, body.role, identityOf(res));
    await audit(req, res, {
      action: 'key.created',
      details: { keyId: created.id, name: body.name, role: body.role },
    });
    res.status(201).json(created);
  });

  router.delete('/keys/:id', requireRole('admin'), async (req, res) => {
    const id = parseRequest(z.string().min(1).max(100), req.params['id'], 'key id');
    const result = await database.keys.updateOne({ _id: id }, { $set: { revoked: true } });
    if (result.matchedCount === 0) throw notFound(`Key '${id}'`);
    keys.clear();
    await audit(req, res, { action: 'key.revoked', details: { keyId: id } });
    res.status(204).end();
  });

  return router;
}
