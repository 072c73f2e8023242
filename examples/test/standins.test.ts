import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERP_TOKEN, IAM_TOKEN } from '../src/connections';
import { portsFromEnv } from '../src/ports';
import { startStandins, type Standins } from '../src/standins';
import { sendRawMail } from './support/smtp-client';

let standins: Standins;

beforeAll(async () => {
  standins = await startStandins({
    ports: { iam: 0, catalog: 0, entities: 0, network: 0, erp: 0, smtp: 0, inbox: 0 },
  });
});

afterAll(async () => {
  await standins.close();
});

async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('stand-in ports', () => {
  it('default to 4011–4015, 4025 and 2525', () => {
    expect(portsFromEnv({})).toEqual({
      iam: 4011,
      catalog: 4012,
      entities: 4013,
      network: 4014,
      erp: 4015,
      smtp: 2525,
      inbox: 4025,
    });
  });

  it('move with the base, and the sink follows a loopback SMTP URL', () => {
    const ports = portsFromEnv({
      BATCHGRAPH_STANDIN_PORT_BASE: '5000',
      BATCHGRAPH_SMTP_URL: 'smtp://127.0.0.1:2626',
    });
    expect(ports).toMatchObject({ iam: 5001, erp: 5005, inbox: 5015, smtp: 2626 });
    expect(portsFromEnv({ BATCHGRAPH_SMTP_URL: 'smtp://mail.example:25' }).smtp).toBe(2525);
    expect(() => portsFromEnv({ BATCHGRAPH_STANDIN_PORT_BASE: 'x' })).toThrow(/PORT_BASE/);
  });
});

describe('IAM stand-in', () => {
  it('needs the bearer token', async () => {
    const response = await call(`${standins.urls.iam}/api/accounts/inactive?days=90`);
    expect(response.status).toBe(401);
  });

  it('lists idle accounts and disables one', async () => {
    const inactive = await call(`${standins.urls.iam}/api/accounts/inactive?days=90`, {
      token: IAM_TOKEN,
    });
    const body = inactive.body as { count: number; accounts: { id: string }[] };
    expect(body.accounts.map((a) => a.id)).toEqual(['u-1002', 'u-1004', 'u-1006', 'u-1008']);
    const disabled = await call(`${standins.urls.iam}/api/accounts/u-1002/disable`, {
      method: 'POST',
      token: IAM_TOKEN,
    });
    expect(disabled.body).toMatchObject({ id: 'u-1002', status: 'disabled' });
    const after = await call(`${standins.urls.iam}/api/accounts/inactive?days=90`, {
      token: IAM_TOKEN,
    });
    expect((after.body as { count: number }).count).toBe(3);
    const missing = await call(`${standins.urls.iam}/api/accounts/nobody/disable`, {
      method: 'POST',
      token: IAM_TOKEN,
    });
    expect(missing.status).toBe(404);
  });
});

describe('catalog stand-in', () => {
  it('searches and sets and unsets tags', async () => {
    const search = await call(`${standins.urls.catalog}/api/records?q=Spring%20Campaign`);
    expect((search.body as { total: number }).total).toBe(4);
    const tagged = await call(`${standins.urls.catalog}/api/records/rec-01/tags`, {
      method: 'POST',
      body: { add: ['x'], remove: ['archive-candidate'] },
    });
    expect((tagged.body as { tags: string[] }).tags).toEqual(['x']);
    const bad = await call(`${standins.urls.catalog}/api/records/rec-01/tags`, {
      method: 'POST',
      body: { add: 'x' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('entities stand-in', () => {
  it('reports 6 added, 6 updated and 6 unchanged for the changed entities, then all unchanged', async () => {
    const listed = await call(
      `${standins.urls.entities}/api/entities?changedSince=2025-01-01T00:00:00Z`,
    );
    const { ids } = listed.body as { ids: string[] };
    expect(ids).toHaveLength(18);
    const sync = async (): Promise<Record<string, number>> => {
      const outcomes = await Promise.all(
        ids.map(async (id) => {
          const result = await call(`${standins.urls.entities}/api/entities/${id}/sync`, {
            method: 'POST',
          });
          return (result.body as { outcome: string }).outcome;
        }),
      );
      const counts: Record<string, number> = {};
      for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
      return counts;
    };
    expect(await sync()).toEqual({ added: 6, updated: 6, unchanged: 6 });
    expect(await sync()).toEqual({ unchanged: 18 });
  });
});

describe('network stand-in', () => {
  it('applies a payload to a known device only', async () => {
    const applied = await call(`${standins.urls.network}/api/devices/core-switch-1/config`, {
      method: 'POST',
      body: { ntp: '10.0.0.1' },
    });
    expect(applied.body).toMatchObject({ device: 'core-switch-1', applied: true });
    const unknown = await call(`${standins.urls.network}/api/devices/nope/config`, {
      method: 'POST',
      body: {},
    });
    expect(unknown.status).toBe(404);
    const state = await call(`${standins.urls.network}/_state`);
    const devices = (state.body as { devices: { name: string; config?: unknown }[] }).devices;
    expect(devices.find((d) => d.name === 'core-switch-1')?.config).toEqual({ ntp: '10.0.0.1' });
  });
});

describe('ERP stand-in', () => {
  it('fails the rate sync twice per batch, and the ledger until the period is unlocked', async () => {
    const erp = standins.urls.erp;
    expect((await call(`${erp}/api/orders`)).status).toBe(401);
    const rates = async (batch: string): Promise<number> =>
      (
        await call(`${erp}/api/exchange-rates/sync`, {
          method: 'POST',
          token: ERP_TOKEN,
          body: { batch },
        })
      ).status;
    expect([await rates('a'), await rates('a'), await rates('a'), await rates('b')]).toEqual([
      503, 503, 200, 503,
    ]);
    const post = (): Promise<{ status: number; body: unknown }> =>
      call(`${erp}/api/ledger/postings`, {
        method: 'POST',
        token: ERP_TOKEN,
        body: { batch: 'a' },
      });
    expect((await post()).status).toBe(503);
    await call(`${erp}/_faults`, { method: 'PUT', body: { periodLocked: false } });
    expect((await post()).status).toBe(201);
    const state = await call(`${erp}/_state`);
    expect(state.body).toMatchObject({ postings: [{ batch: 'a' }] });
  });
});

describe('SMTP sink', () => {
  it('keeps what it receives and shows it in the inbox', async () => {
    await sendRawMail(standins.smtpPort, {
      from: 'batchgraph@localhost',
      to: ['ops@example.com', 'dev@example.com'],
      subject: 'Hello',
      text: 'It works',
    });
    const inbox = await call(`${standins.urls.inbox}/messages`);
    expect(inbox.body).toMatchObject({
      messages: [
        {
          from: 'batchgraph@localhost',
          to: ['ops@example.com', 'dev@example.com'],
          subject: 'Hello',
          text: expect.stringContaining('It works') as unknown,
        },
      ],
    });
  });
});
