/**
 * /api/connections (admin): credentials that http tasks use by name. Secrets are sealed with
 * BATCHGRAPH_SECRET_KEY before they are stored and never leave the API in clear.
 */
import { sealSecret, type ConnectionDoc, type ConnectionSecret } from '@batchgraph/engine';
import { Router } from 'express';
import { z } from 'zod';
import { callerOf, identityOf, requireRole } from './auth';
import type { Services } from './context';
import { isDuplicateKey } from './db';
import { HttpError, notFound } from './errors';
import { parseRequest } from './validation';

const name = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, . _ or -');
const text = z.string().min(1).max(10_000);

/** A base URL the secret may be sent to: http(s), host, optional port and path prefix. */
const origin = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => {
    const url = new URL(value);
    return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  }, 'must be a base URL without user info, query or fragment')
  .meta({ examples: ['https://idm.example.com/api'] });

const common = {
  name,
  shared: z.boolean().optional(),
  description: z.string().max(500).optional(),
  origins: z.array(origin).min(1).max(20).meta({
    description: 'Base URLs the secret is sent to; requests elsewhere get no credentials',
  }),
};

export const createConnectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('bearer'),
    secret: z.strictObject({ token: text }),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('basic'),
    secret: z.strictObject({ username: text, password: text }),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('header'),
    secret: z.strictObject({
      header: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/),
      value: text,
    }),
  }),
]);
export type CreateConnection = z.output<typeof createConnectionSchema>;

function secretOf(body: CreateConnection): ConnectionSecret {
  switch (body.kind) {
    case 'bearer':
      return { kind: 'bearer', token: body.secret.token };
    case 'basic':
      return { kind: 'basic', username: body.secret.username, password: body.secret.password };
    case 'header':
      return { kind: 'header', header: body.secret.header, value: body.secret.value };
  }
}

export function connectionRoutes(services: Services): Router {
  const { database, audit, config } = services;
  const router = Router();

  // Analysts name connections in their http tasks, so they may list the ones their jobs can use:
  // the shared ones and their own. Administrators see all.
  router.get('/connections', requireRole('analyst'), async (_req, res) => {
    const caller = callerOf(res);
    const usable = caller.role === 'admin' ? {} : { owner: { $in: [null, caller.id] } };
    const docs = await database.connections
      .find(usable, { projection: { sealed: 0 } })
      .sort({ name: 1 })
      .toArray();
    res.json({
      items: docs.map((doc) => ({
        name: doc.name,
        kind: doc.kind,
        owner: doc.owner,
        description: doc.description,
        origins: doc.origins ?? [],
        createdAt: doc.createdAt.toISOString(),
      })),
    });
  });

  router.post('/connections', requireRole('admin'), async (req, res) => {
    const body = parseRequest(createConnectionSchema, req.body);
    const key = config.BATCHGRAPH_SECRET_KEY;
    if (key === undefined) {
      throw new HttpError(
        503,
        'not_configured',
        'BATCHGRAPH_SECRET_KEY is not set, so secrets cannot be stored',
      );
    }
    const caller = identityOf(res);
    const doc: ConnectionDoc = {
      name: body.name,
      kind: body.kind,
      owner: body.shared === false ? caller.id : null,
      origins: body.origins.map((value) => new URL(value).href.replace(/\/$/, '')),
      sealed: await sealSecret(key, secretOf(body)),
      createdAt: new Date(),
      createdBy: caller.id,
    };
    if (body.description !== undefined) doc.description = body.description;
    try {
      await database.connections.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      throw new HttpError(409, 'name_taken', `A connection named "${body.name}" already exists`, {
        name: body.name,
      });
    }
    await audit(req, res, {
      action: 'connection.created',
      details: { name: body.name, kind: body.kind, origins: doc.origins },
    });
    res.status(201).json({
      name: doc.name,
      kind: doc.kind,
      owner: doc.owner,
      origins: doc.origins,
      createdAt: doc.createdAt.toISOString(),
    });
  });

  router.delete('/connections/:name', requireRole('admin'), async (req, res) => {
    const connection = parseRequest(name, req.params['name'], 'connection name');
    const result = await database.connections.deleteOne({ name: connection });
    if (result.deletedCount === 0) throw notFound(`Connection '${connection}'`);
    await audit(req, res, { action: 'connection.deleted', details: { name: connection } });
    res.status(204).end();
  });

  return router;
}
