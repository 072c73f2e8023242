/**
 * Stand-in for an ERP's batch endpoints: extracts, payment matching, an exchange-rate sync that
 * fails its first calls for each batch (a flaky upstream), a reporting dashboard and a ledger that
 * are down out of the box (they always fail until a test or a demo clears the fault with
 * `PUT /_faults`), and a batch confirmation. Every /api route needs the ERP bearer token.
 */
import type { Express, Request } from 'express';
import { ERP_TOKEN } from './connections';
import { jsonApp, requireBearer } from './http';

export interface ErpFaults {
  /** Failed calls of the exchange-rate sync before it answers, per batch. */
  flakyFailures: number;
  dashboardDown: boolean;
  periodLocked: boolean;
}

export interface ErpCall {
  method: string;
  path: string;
  batch?: string;
  status: number;
}

const defaultFaults: ErpFaults = { flakyFailures: 2, dashboardDown: true, periodLocked: true };

const orders = [
  { id: 'SO-7001', customer: 'C-100', amount: 1250.0, currency: 'EUR' },
  { id: 'SO-7002', customer: 'C-101', amount: 980.5, currency: 'EUR' },
  { id: 'SO-7003', customer: 'C-102', amount: 4300.0, currency: 'USD' },
];
const invoices = [
  { id: 'INV-9001', order: 'SO-7001', amount: 1250.0, paid: true },
  { id: 'INV-9002', order: 'SO-7002', amount: 980.5, paid: false },
  { id: 'INV-9003', order: 'SO-7003', amount: 4300.0, paid: true },
];

function batchOf(req: Request): string | undefined {
  const body = req.body as { batch?: unknown } | undefined;
  if (typeof body?.batch === 'string') return body.batch;
  return typeof req.params.batch === 'string' ? req.params.batch : undefined;
}

export function createErpApp(): Express {
  const faults: ErpFaults = { ...defaultFaults };
  const calls: ErpCall[] = [];
  const rateCalls = new Map<string, number>();
  const postings: { batch: string; entries: number }[] = [];
  const confirmed: string[] = [];

  const app = jsonApp();
  app.use('/api', requireBearer(ERP_TOKEN));
  app.use('/api', (req, res, next) => {
    res.on('finish', () => {
      const batch = batchOf(req);
      calls.push({
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        ...(batch ? { batch } : {}),
      });
    });
    next();
  });

  app.get('/api/orders', (_req, res) => {
    res.json({ orders });
  });

  app.get('/api/invoices', (_req, res) => {
    res.json({ invoices });
  });

  app.post('/api/exchange-rates/sync', (req, res) => {
    const batch = batchOf(req) ?? 'default';
    const seen = (rateCalls.get(batch) ?? 0) + 1;
    rateCalls.set(batch, seen);
    if (seen <= faults.flakyFailures) {
      res.status(503).json({ error: `rate provider timed out (call ${seen} of batch ${batch})` });
      return;
    }
    res.json({ batch, rates: { USD: 1.08, GBP: 0.85, CHF: 0.96 } });
  });

  app.post('/api/payments/match', (req, res) => {
    const matched = invoices.filter((invoice) => invoice.paid).length;
    res.json({ batch: batchOf(req), matched, open: invoices.length - matched });
  });

  app.post('/api/dashboard/refresh', (_req, res) => {
    if (faults.dashboardDown) {
      res.status(503).json({ error: 'reporting service unavailable' });
      return;
    }
    res.json({ refreshed: true });
  });

  app.post('/api/ledger/postings', (req, res) => {
    if (faults.periodLocked) {
      res.status(503).json({ error: 'posting period is locked' });
      return;
    }
    const posting = { batch: batchOf(req) ?? 'default', entries: orders.length };
    postings.push(posting);
    res.status(201).json(posting);
  });

  app.post('/api/batches/:batch/confirm', (req, res) => {
    confirmed.push(req.params.batch);
    res.json({ batch: req.params.batch, confirmed: true });
  });

  app.get('/_state', (_req, res) => {
    res.json({ faults, calls, postings, confirmed });
  });

  /** Changes the faults, e.g. `{ "periodLocked": false }` to let postings through. */
  app.put('/_faults', (req, res) => {
    const body = (req.body ?? {}) as Partial<Record<keyof ErpFaults, unknown>>;
    if (typeof body.flakyFailures === 'number' && body.flakyFailures >= 0) {
      faults.flakyFailures = Math.floor(body.flakyFailures);
    }
    if (typeof body.dashboardDown === 'boolean') faults.dashboardDown = body.dashboardDown;
    if (typeof body.periodLocked === 'boolean') faults.periodLocked = body.periodLocked;
    res.json(faults);
  });

  return app;
}
