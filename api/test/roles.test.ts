import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKey } from '../src/auth';
import { roles, type Role } from '../src/roles';
import { jobDocument, startHarness, type Harness } from './harness';

let h: Harness;
let jobId: string;
let scheduledId: string;
const keys = {} as Record<Role, string>;
const EXAMPLE = 'https://erp.example.com';

beforeAll(async () => {
  h = await startHarness('roles');
  for (const role of roles) keys[role] = await h.keyFor(role);
  jobId = (await h.api('POST', '/api/jobs', { body: jobDocument('Role target') })).body.id;
  scheduledId = (
    await h.api('POST', '/api/jobs', {
      body: jobDocument('Role schedule', { schedule: { cron: '0 4 * * *' } }),
    })
  ).body.id;
});
afterAll(async () => h?.stop());

interface Case {
  method: string;
  path: () => string;
  role: Role;
  body?: () => unknown;
}

let counter = 0;
const fresh = (): unknown => jobDocument(`Role job ${++counter}`);

const cases: Case[] = [
  { method: 'GET', path: () => '/api/me', role: 'viewer' },
  { method: 'GET', path: () => '/api/jobs', role: 'viewer' },
  { method: 'POST', path: () => '/api/jobs', role: 'analyst', body: fresh },
  { method: 'GET', path: () => `/api/jobs/${jobId}`, role: 'viewer' },
  {
    method: 'PUT',
    path: () => '/api/jobs/no-such-job?force=true',
    role: 'analyst',
    body: () => ({ document: jobDocument('Role target') }),
  },
  { method: 'GET', path: () => `/api/jobs/${jobId}/versions`, role: 'viewer' },
  { method: 'GET', path: () => `/api/jobs/${jobId}/versions/1`, role: 'viewer' },
  {
    method: 'POST',
    path: () => `/api/jobs/${jobId}/duplicate`,
    role: 'analyst',
    body: () => ({ name: `Role copy ${++counter}` }),
  },
  { method: 'GET', path: () => `/api/jobs/${jobId}/export`, role: 'viewer' },
  { method: 'POST', path: () => '/api/jobs/import', role: 'analyst', body: fresh },
  { method: 'POST', path: () => '/api/validate', role: 'viewer', body: fresh },
  { method: 'DELETE', path: () => '/api/jobs/no-such-job', role: 'analyst' },
  {
    method: 'PUT',
    path: () => '/api/jobs/no-such-job/owner',
    role: 'analyst',
    body: () => ({ keyId: 'key_admin' }),
  },
  { method: 'GET', path: () => `/api/jobs/${scheduledId}/schedule`, role: 'viewer' },
  {
    method: 'POST',
    path: () => `/api/jobs/${scheduledId}/schedule/pause`,
    role: 'admin',
    body: () => ({ note: 'roles' }),
  },
  {
    method: 'POST',
    path: () => `/api/jobs/${scheduledId}/schedule/resume`,
    role: 'admin',
    body: () => ({}),
  },
  {
    method: 'POST',
    path: () => `/api/jobs/no-such-job/schedule/trigger`,
    role: 'analyst',
    body: () => ({}),
  },
  {
    method: 'POST',
    path: () => `/api/jobs/no-such-job/schedule/backfill`,
    role: 'operator',
    body: () => ({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }),
  },
  {
    method: 'POST',
    path: () => '/api/schedules/pause',
    role: 'admin',
    body: () => ({ ids: [], note: 'roles' }),
  },
  { method: 'POST', path: () => '/api/schedules/resume', role: 'admin', body: () => ({ ids: [] }) },
  { method: 'POST', path: () => '/api/jobs/no-such-job/runs', role: 'analyst', body: () => ({}) },
  { method: 'GET', path: () => '/api/runs', role: 'viewer' },
  { method: 'GET', path: () => '/api/runs/job-no-such-run', role: 'viewer' },
  { method: 'GET', path: () => '/api/runs/job-no-such-run/events', role: 'viewer' },
  { method: 'POST', path: () => '/api/runs/job-no-such-run/cancel', role: 'operator' },
  { method: 'POST', path: () => '/api/runs/job-no-such-run/retry', role: 'operator' },
  { method: 'GET', path: () => '/api/runs/job-no-such-run/tasks/t/log', role: 'viewer' },
  { method: 'GET', path: () => '/api/audit', role: 'admin' },
  { method: 'GET', path: () => '/api/keys', role: 'admin' },
  {
    method: 'POST',
    path: () => '/api/keys',
    role: 'admin',
    body: () => ({ name: 'made in test', role: 'viewer' }),
  },
  { method: 'DELETE', path: () => '/api/keys/key_missing', role: 'admin' },
  { method: 'GET', path: () => '/api/connections', role: 'analyst' },
  {
    method: 'POST',
    path: () => '/api/connections',
    role: 'admin',
    body: () => ({
      name: `conn-${++counter}`,
      kind: 'bearer',
      origins: [EXAMPLE],
      secret: { token: 't' },
    }),
  },
  { method: 'DELETE', path: () => '/api/connections/missing', role: 'admin' },
];

const rows = cases.flatMap((c) =>
  roles.map((role) => ({
    ...c,
    caller: role,
    allowed: roles.indexOf(role) >= roles.indexOf(c.role),
  })),
);

describe('every role × endpoint', () => {
  test.each(rows)('$method $role-only endpoint as $caller', async (row) => {
    const response = await h.api(row.method, row.path(), {
      key: keys[row.caller],
      body: row.body?.(),
    });
    if (row.allowed) {
      expect([401, 403]).not.toContain(response.status);
      expect(response.status).toBeLessThan(500);
    } else {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
      expect(response.body.error.message).toContain(row.role);
    }
  });

  test.each(cases)('$method without a key is 401', async (row) => {
    const response = await h.api(row.method, row.path(), { key: null, body: row.body?.() });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthenticated');
  });
});

describe('keys', () => {
  test('/api/me names the caller; a revoked key stops working at once', async () => {
    const created = await h.api('POST', '/api/keys', {
      body: { name: 'temporary', role: 'operator' },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^bg_[0-9a-f]{64}$/);
    const me = await h.api('GET', '/api/me', { key: created.body.key });
    expect(me.body).toEqual({ id: created.body.id, name: 'temporary', role: 'operator' });
    const stored = await h.services.database.keys.findOne({ _id: created.body.id });
    expect(JSON.stringify(stored)).not.toContain(created.body.key);
    const listed = await h.api('GET', '/api/keys');
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: created.body.id, role: 'operator', revoked: false }),
    );
    expect(JSON.stringify(listed.body)).not.toContain('hash');
    expect((await h.api('DELETE', `/api/keys/${created.body.id}`)).status).toBe(204);
    expect((await h.api('GET', '/api/me', { key: created.body.key })).status).toBe(401);
    expect((await h.api('GET', '/api/me', { key: 'bg_wrong' })).status).toBe(401);
    const actions = (await h.api('GET', '/api/audit?action=key.revoked')).body.items;
    expect(actions[0].details.keyId).toBe(created.body.id);
  });

  test('the admin key is seeded only into an empty key collection', async () => {
    const { seedAdminKey } = await import('../src/auth');
    await seedAdminKey(h.services.database, 'bg_another_admin_key_0123456789');
    expect(await h.services.database.keys.countDocuments({ role: 'admin', name: 'admin' })).toBe(1);
  });
});

describe('connections', () => {
  test('secrets are stored sealed and never returned', async () => {
    const created = await h.api('POST', '/api/connections', {
      body: {
        name: 'crm',
        kind: 'basic',
        description: 'CRM',
        origins: ['https://crm.example.com/api/'],
        secret: { username: 'svc', password: 'hunter2-secret' },
      },
    });
    expect(created.status).toBe(201);
    const listed = await h.api('GET', '/api/connections');
    const entry = listed.body.items.find((c: { name: string }) => c.name === 'crm');
    expect(entry).toMatchObject({
      name: 'crm',
      kind: 'basic',
      owner: null,
      description: 'CRM',
      origins: ['https://crm.example.com/api'],
    });
    expect(JSON.stringify(listed.body)).not.toContain('hunter2');
    const stored = await h.services.database.connections.findOne({ name: 'crm' });
    expect(JSON.stringify(stored)).not.toContain('hunter2');
    const { openSecret } = await import('@batchgraph/engine');
    expect(await openSecret(h.config.BATCHGRAPH_SECRET_KEY!, stored!.sealed)).toEqual({
      kind: 'basic',
      username: 'svc',
      password: 'hunter2-secret',
    });
    expect(
      (
        await h.api('POST', '/api/connections', {
          body: { name: 'crm', kind: 'bearer', origins: [EXAMPLE], secret: { token: 'x' } },
        })
      ).status,
    ).toBe(409);
    const invalid = await h.api('POST', '/api/connections', {
      body: { name: 'bad name!', kind: 'basic', origins: ['ftp://x', 'https://u:p@x'], secret: {} },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining([
        '$.name',
        '$.origins[0]',
        '$.origins[1]',
        '$.secret.username',
        '$.secret.password',
      ]),
    );
    expect((await h.api('DELETE', '/api/connections/crm')).status).toBe(204);
    expect((await h.api('DELETE', '/api/connections/crm')).status).toBe(404);
  });

  test('an analyst lists the shared connections, not an administrator’s own', async () => {
    for (const [name, shared] of [
      ['erp-shared', true],
      ['erp-private', false],
    ] as const) {
      const created = await h.api('POST', '/api/connections', {
        body: { name, kind: 'bearer', shared, origins: [EXAMPLE], secret: { token: 't' } },
      });
      expect(created.status).toBe(201);
    }
    const names = async (key?: string) =>
      (await h.api('GET', '/api/connections', { key })).body.items.map(
        (c: { name: string }) => c.name,
      );
    expect(await names(keys.analyst)).toContain('erp-shared');
    expect(await names(keys.analyst)).not.toContain('erp-private');
    expect(await names()).toEqual(expect.arrayContaining(['erp-shared', 'erp-private']));
  });
});

/** Who acts in the ownership matrix: analyst A owns the target jobs, analyst B does not. */
const actors = ['viewer', 'analystA', 'analystB', 'operator', 'admin'] as const;
type Actor = (typeof actors)[number];

describe('every role × endpoint × ownership', () => {
  const actorKeys = {} as Record<Actor, string>;
  const actorIds = {} as Record<Actor, string>;
  let n = 0;

  beforeAll(async () => {
    for (const [actor, role] of [
      ['viewer', 'viewer'],
      ['analystA', 'analyst'],
      ['analystB', 'analyst'],
      ['operator', 'operator'],
      ['admin', 'admin'],
    ] as const) {
      const { id, key } = await createKey(h.services.database, actor, role, null);
      actorKeys[actor] = key;
      actorIds[actor] = id;
    }
  });

  /** A fresh scheduled job owned by analyst A, so destructive rows do not disturb each other. */
  const ownedByA = async (): Promise<string> => {
    const created = await h.api('POST', '/api/jobs', {
      key: actorKeys.analystA,
      body: jobDocument(`Owned by A ${++n}`, { schedule: { cron: '0 3 * * *', enabled: true } }),
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  interface OwnershipCase {
    name: string;
    method: string;
    path: (id: string) => string;
    body?: (id: string) => unknown;
    allowed: Actor[];
  }
  const owners: Actor[] = ['analystA', 'admin'];
  const ownershipCases: OwnershipCase[] = [
    {
      name: 'save a new version',
      method: 'PUT',
      path: (id) => `/api/jobs/${id}?force=true`,
      body: () => ({ document: jobDocument(`Saved ${++n}`) }),
      allowed: owners,
    },
    { name: 'delete', method: 'DELETE', path: (id) => `/api/jobs/${id}`, allowed: owners },
    {
      name: 'hand over',
      method: 'PUT',
      path: (id) => `/api/jobs/${id}/owner`,
      body: () => ({ keyId: actorIds.analystB }),
      allowed: owners,
    },
    {
      name: 'trigger the schedule (runs as the owner)',
      method: 'POST',
      path: (id) => `/api/jobs/${id}/schedule/trigger`,
      body: () => ({}),
      allowed: ['analystA', 'operator', 'admin'],
    },
    {
      name: 'backfill the schedule',
      method: 'POST',
      path: (id) => `/api/jobs/${id}/schedule/backfill`,
      body: () => ({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' }),
      allowed: ['operator', 'admin'],
    },
    {
      name: 'pause the schedule',
      method: 'POST',
      path: (id) => `/api/jobs/${id}/schedule/pause`,
      body: () => ({ note: 'matrix' }),
      allowed: ['admin'],
    },
    {
      name: 'resume the schedule',
      method: 'POST',
      path: (id) => `/api/jobs/${id}/schedule/resume`,
      body: () => ({}),
      allowed: ['admin'],
    },
    {
      name: 'run by hand (as the starter)',
      method: 'POST',
      path: (id) => `/api/jobs/${id}/runs`,
      body: () => ({}),
      allowed: ['analystA', 'analystB', 'operator', 'admin'],
    },
    {
      name: 'retry a run',
      method: 'POST',
      path: (id) => `/api/runs/job-${id}-20260101T000000Z/retry`,
      allowed: ['operator', 'admin'],
    },
    {
      name: 'read the job',
      method: 'GET',
      path: (id) => `/api/jobs/${id}`,
      allowed: [...actors],
    },
    {
      name: 'list connections',
      method: 'GET',
      path: () => '/api/connections',
      allowed: ['analystA', 'analystB', 'operator', 'admin'],
    },
    {
      name: 'create a connection',
      method: 'POST',
      path: () => '/api/connections',
      body: () => ({
        name: `matrix-${++n}`,
        kind: 'bearer',
        origins: [EXAMPLE],
        secret: { token: 't' },
      }),
      allowed: ['admin'],
    },
  ];
  const ownershipRows = ownershipCases.flatMap((c) =>
    actors.map((actor) => ({ ...c, actor, allowed: c.allowed.includes(actor) })),
  );

  test.each(ownershipRows)('$name on A’s job as $actor', async (row) => {
    const id = await ownedByA();
    const response = await h.api(row.method, row.path(id), {
      key: actorKeys[row.actor],
      body: row.body?.(id),
    });
    if (row.allowed) {
      expect([401, 403]).not.toContain(response.status);
      expect(response.status).toBeLessThan(500);
    } else {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
  });

  test('a job names its owner; a handed-over job belongs to its new owner alone', async () => {
    const id = await ownedByA();
    const job = await h.api('GET', `/api/jobs/${id}`, { key: actorKeys.viewer });
    expect(job.body.owner).toEqual({ id: actorIds.analystA, name: 'analystA' });
    const handed = await h.api('PUT', `/api/jobs/${id}/owner`, {
      key: actorKeys.admin,
      body: { keyId: actorIds.analystB },
    });
    expect(handed.status).toBe(200);
    const save = (actor: Actor) =>
      h.api('PUT', `/api/jobs/${id}?force=true`, {
        key: actorKeys[actor],
        body: { document: jobDocument(`Handed ${++n}`) },
      });
    expect((await save('analystA')).status).toBe(403);
    expect((await save('analystB')).status).toBe(200);
    const audit = await h.api('GET', `/api/audit?jobId=${id}&action=job.transferred`);
    expect(audit.body.items[0].details).toMatchObject({
      from: { id: actorIds.analystA },
      to: { id: actorIds.analystB },
    });
    const toViewer = await h.api('PUT', `/api/jobs/${id}/owner`, {
      body: { keyId: actorIds.viewer },
    });
    expect(toViewer.status).toBe(400);
    expect(toViewer.body.error.details[0].path).toBe('$.keyId');
  });

  test('scheduled runs act as the owner, also after a hand-over', async () => {
    const id = await ownedByA();
    const action = await h.services.temporal.client.schedule.getHandle(`job-${id}`).describe();
    const input = (action.action as { args: { startedBy: { id: string } }[] }).args[0]!;
    expect(input.startedBy.id).toBe(actorIds.analystA);
    await h.api('PUT', `/api/jobs/${id}/owner`, { body: { keyId: actorIds.analystB } });
    const after = await h.services.temporal.client.schedule.getHandle(`job-${id}`).describe();
    expect((after.action as { args: { startedBy: { id: string } }[] }).args[0]!.startedBy.id).toBe(
      actorIds.analystB,
    );
  });

  test('saving a job never lifts an administrator’s pause', async () => {
    const id = await ownedByA();
    const paused = await h.api('POST', `/api/jobs/${id}/schedule/pause`, {
      body: { note: 'held by ops' },
    });
    expect(paused.body.paused).toBe(true);
    for (const enabled of [false, true]) {
      const saved = await h.api('PUT', `/api/jobs/${id}?force=true`, {
        key: actorKeys.analystA,
        body: {
          document: jobDocument(`Toggled ${id}`, { schedule: { cron: '0 3 * * *', enabled } }),
        },
      });
      expect(saved.status).toBe(200);
    }
    const view = await h.api('GET', `/api/jobs/${id}/schedule`);
    expect(view.body).toMatchObject({ paused: true, note: 'held by ops' });
  });

  test('analyst B cannot take over an admin’s job nor run its schedule as the admin', async () => {
    const created = await h.api('POST', '/api/jobs', {
      body: jobDocument(`Admin job ${++n}`, { schedule: { cron: '0 5 * * *', enabled: true } }),
    });
    const id = created.body.id as string;
    const hijack = await h.api('PUT', `/api/jobs/${id}?force=true`, {
      key: actorKeys.analystB,
      body: { document: jobDocument(`Admin job ${n}`) },
    });
    expect(hijack.status).toBe(403);
    expect(hijack.body.error.message).toContain('owner');
    const trigger = await h.api('POST', `/api/jobs/${id}/schedule/trigger`, {
      key: actorKeys.analystB,
      body: {},
    });
    expect(trigger.status).toBe(403);
    expect((await h.api('GET', `/api/jobs/${id}/versions`)).body.items).toHaveLength(1);
  });
});
