/**
 * Stand-in for an identity-management backend: accounts with their last login, a report of
 * accounts idle for N days, and deactivation. Every /api route needs the demo bearer token.
 */
import type { Express } from 'express';
import { IAM_TOKEN } from './connections';
import { jsonApp, requireBearer } from './http';

const DAY_MS = 24 * 3600 * 1000;

export interface Account {
  id: string;
  name: string;
  email: string;
  status: 'active' | 'disabled';
  lastLoginAt: string;
  disabledAt?: string;
}

/** Seed: [id, name, days since last login]. Four accounts are idle for more than 90 days. */
const seed: [string, string, number][] = [
  ['u-1001', 'Ada Lovelace', 3],
  ['u-1002', 'Grace Hopper', 120],
  ['u-1003', 'Alan Turing', 45],
  ['u-1004', 'Edsger Dijkstra', 200],
  ['u-1005', 'Barbara Liskov', 89],
  ['u-1006', 'Donald Knuth', 91],
  ['u-1007', 'Margaret Hamilton', 1],
  ['u-1008', 'Ken Thompson', 365],
];

export function createIamApp(now: () => Date = () => new Date()): Express {
  const seededAt = now().getTime();
  const accounts = new Map<string, Account>(
    seed.map(([id, name, idleDays]) => [
      id,
      {
        id,
        name,
        email: `${id}@iam.example`,
        status: 'active',
        lastLoginAt: new Date(seededAt - idleDays * DAY_MS).toISOString(),
      },
    ]),
  );
  const disableCalls: string[] = [];

  const app = jsonApp();
  app.use('/api', requireBearer(IAM_TOKEN));

  app.get('/api/accounts/inactive', (req, res) => {
    const days = Number(req.query.days ?? 90);
    if (!Number.isInteger(days) || days < 1) {
      res.status(400).json({ error: 'days must be a positive whole number' });
      return;
    }
    const cutoff = now().getTime() - days * DAY_MS;
    const idle = [...accounts.values()].filter(
      (account) => account.status === 'active' && Date.parse(account.lastLoginAt) < cutoff,
    );
    res.json({
      days,
      count: idle.length,
      accounts: idle.map(({ id, name, email, lastLoginAt }) => ({ id, name, email, lastLoginAt })),
    });
  });

  app.post('/api/accounts/:id/disable', (req, res) => {
    const account = accounts.get(req.params.id);
    if (!account) {
      res.status(404).json({ error: `no account ${req.params.id}` });
      return;
    }
    disableCalls.push(account.id);
    if (account.status === 'active') {
      account.status = 'disabled';
      account.disabledAt = now().toISOString();
    }
    res.json({ id: account.id, status: account.status, disabledAt: account.disabledAt });
  });

  app.get('/_state', (_req, res) => {
    res.json({ accounts: [...accounts.values()], disableCalls });
  });

  return app;
}
