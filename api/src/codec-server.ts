/**
 * The codec server Temporal UI calls to show encrypted payloads in clear (its "codec endpoint"):
 * `POST /codec/decode` and `/codec/encode` with `{ payloads: [{ metadata, data }] }` in Temporal's
 * JSON form (base64). CORS admits the Temporal UI origin only; the caller needs an operator or
 * admin key, since decoded payloads hold run inputs and outputs.
 */
import cors from 'cors';
import express, { Router } from 'express';
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { authenticate, requireRole, type KeyCache } from './auth';
import { parseRequest } from './validation';

const jsonPayloads = z.strictObject({
  payloads: z
    .array(
      z.looseObject({
        metadata: z.record(z.string(), z.string()).optional(),
        data: z.string().optional(),
      }),
    )
    .max(1000),
});

const toBytes = (value: string): Uint8Array => Buffer.from(value, 'base64');
const toText = (value: Uint8Array | null | undefined): string =>
  Buffer.from(value ?? new Uint8Array()).toString('base64');

export function codecRoutes(codecs: PayloadCodec[], keys: KeyCache, uiOrigin: string): Router {
  const router = Router();
  // Only /codec/*: the router is mounted before the API, whose own routes have their own rules.
  router.use(
    '/codec',
    cors({
      origin: new URL(uiOrigin).origin,
      credentials: true,
      allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
      maxAge: 600,
    }),
  );
  router.use('/codec', express.json({ limit: '4mb' }));
  router.use('/codec', authenticate(keys), requireRole('operator'));
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/codec/${direction}`, async (req, res) => {
      const body = parseRequest(jsonPayloads, req.body);
      let payloads = body.payloads.map((payload) => ({
        metadata: Object.fromEntries(
          Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, toBytes(value)]),
        ),
        data: toBytes(payload.data ?? ''),
      }));
      const ordered = direction === 'encode' ? codecs : [...codecs].reverse();
      for (const codec of ordered) payloads = (await codec[direction](payloads)) as typeof payloads;
      res.json({
        payloads: payloads.map((payload) => ({
          metadata: Object.fromEntries(
            Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, toText(value)]),
          ),
          data: toText(payload.data),
        })),
      });
    });
  }
  return router;
}
