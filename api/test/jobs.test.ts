import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jobDocument, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('jobs');
});
afterAll(async () => h?.stop());

describe('jobs', () => {
  test('create, read, list and export a job', async () => {
    const created = await h.api('POST', '/api/jobs', { body: jobDocument('Nightly cleanup') });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^nightly-cleanup-[0-9a-z]{4}$/),
      version: 1,
    });
    const id = created.body.id as string;

    const job = await h.api('GET', `/api/jobs/${id}`);
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({
      id,
      name: 'Nightly cleanup',
      version: 1,
      owner: { id: 'key_admin' },
      warnings: [],
    });
    expect(job.body.document).toEqual(jobDocument('Nightly cleanup'));

    const list = await h.api('GET', '/api/jobs?q=nightly');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id, name: 'Nightly cleanup', version: 1 });
    expect((await h.api('GET', '/api/jobs?q=nothing-like-this')).body.total).toBe(0);

    const exported = await h.api('GET', `/api/jobs/${id}/export`);
    expect(exported.headers.get('content-disposition')).toContain(
      'attachment; filename="Nightly cleanup.json"',
    );
    expect(exported.body).toEqual(jobDocument('Nightly cleanup'));
  });

  test('a bad document is a 400 listing every problem with its JSON path', async () => {
    const response = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Broken',
        tasks: [
          { id: 'a', type: 'http', params: { url: 'not a url' } },
          { id: 'a', type: 'nope', params: {} },
        ],
        edges: [{ from: 'a', to: 'ghost', on: 'success' }],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_job');
    const paths = (response.body.error.details as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.tasks[0].params.url', '$.tasks[1].type', '$.edges[0].to']),
    );
  });

  test('names are unique: create and import answer 409 name_taken', async () => {
    expect((await h.api('POST', '/api/jobs', { body: jobDocument('Unique name') })).status).toBe(
      201,
    );
    const again = await h.api('POST', '/api/jobs', { body: jobDocument('Unique name') });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'name_taken',
      message: expect.stringContaining('Unique name'),
    });
    const imported = await h.api('POST', '/api/jobs/import', { body: jobDocument('Unique name') });
    expect(imported.status).toBe(409);
    expect(imported.body.error.code).toBe('name_taken');
    const fresh = await h.api('POST', '/api/jobs/import', { body: jobDocument('Imported one') });
    expect(fresh.status).toBe(201);
  });

  test('PUT saves new immutable versions; a stale baseVersion is a 409 with the current version', async () => {
    const { body } = await h.api('POST', '/api/jobs', { body: jobDocument('Versioned') });
    const id = body.id as string;
    const second = jobDocument('Versioned', { description: 'second' });
    const saved = await h.api('PUT', `/api/jobs/${id}`, {
      body: { baseVersion: 1, document: second },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ id, version: 2 });

    const stale = await h.api('PUT', `/api/jobs/${id}`, {
      body: { baseVersion: 1, document: jobDocument('Versioned') },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'version_conflict',
      details: { currentVersion: 2 },
    });

    const forced = await h.api('PUT', `/api/jobs/${id}?force=true`, {
      body: { document: jobDocument('Versioned') },
    });
    expect(forced.body).toEqual({ id, version: 3 });

    const versions = await h.api('GET', `/api/jobs/${id}/versions`);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const v2 = await h.api('GET', `/api/jobs/${id}/versions/2`);
    expect(v2.body).toMatchObject({ version: 2, document: second, createdBy: { id: 'key_admin' } });
    expect((await h.api('GET', `/api/jobs/${id}/versions/9`)).status).toBe(404);
  });

  test('concurrent edits from the same base: exactly one wins, the other gets 409', async () => {
    const { body } = await h.api('POST', '/api/jobs', { body: jobDocument('Contended') });
    const id = body.id as string;
    const attempts = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        h.api('PUT', `/api/jobs/${id}`, {
          body: {
            baseVersion: 1,
            document: jobDocument('Contended', { description: `edit ${i}` }),
          },
        }),
      ),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const loser of attempts.filter((a) => a.status === 409)) {
      expect(loser.body.error).toMatchObject({
        code: 'version_conflict',
        details: { currentVersion: 2 },
      });
    }
    expect((await h.api('GET', `/api/jobs/${id}/versions`)).body.items).toHaveLength(2);
  });

  test('renaming onto another job’s name is a 409 and leaves no version behind', async () => {
    await h.api('POST', '/api/jobs', { body: jobDocument('Taken') });
    const { body } = await h.api('POST', '/api/jobs', { body: jobDocument('Free') });
    const clash = await h.api('PUT', `/api/jobs/${body.id}`, {
      body: { baseVersion: 1, document: jobDocument('Taken') },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('name_taken');
    expect((await h.api('GET', `/api/jobs/${body.id}/versions`)).body.items).toHaveLength(1);
  });

  test('duplicate copies the current document under a new name', async () => {
    const { body } = await h.api('POST', '/api/jobs', { body: jobDocument('Original') });
    const copy = await h.api('POST', `/api/jobs/${body.id}/duplicate`, { body: {} });
    expect(copy.status).toBe(201);
    expect((await h.api('GET', `/api/jobs/${copy.body.id}`)).body.name).toBe('Original (copy)');
    const named = await h.api('POST', `/api/jobs/${body.id}/duplicate`, {
      body: { name: 'Second copy' },
    });
    expect((await h.api('GET', `/api/jobs/${named.body.id}`)).body.document.name).toBe(
      'Second copy',
    );
    expect(
      (await h.api('POST', `/api/jobs/${body.id}/duplicate`, { body: { name: 'Original' } }))
        .status,
    ).toBe(409);
  });

  test("a copy's schedule starts paused unless the copy asks for it enabled", async () => {
    const { body } = await h.api('POST', '/api/jobs', {
      body: jobDocument('Scheduled original', {
        schedule: { cron: '0 3 * * *', enabled: true },
      }),
    });
    const paused = async (id: string) =>
      (await h.services.temporal.client.schedule.getHandle(`job-${id}`).describe()).state.paused;
    expect(await paused(body.id)).toBe(false);

    const quiet = await h.api('POST', `/api/jobs/${body.id}/duplicate`, { body: {} });
    expect(quiet.status).toBe(201);
    expect(await paused(quiet.body.id)).toBe(true);
    expect((await h.api('GET', `/api/jobs/${quiet.body.id}`)).body.document.schedule).toEqual({
      cron: '0 3 * * *',
      enabled: false,
    });

    const live = await h.api('POST', `/api/jobs/${body.id}/duplicate`, {
      body: { name: 'Scheduled live copy', scheduleEnabled: true },
    });
    expect(live.status).toBe(201);
    expect(await paused(live.body.id)).toBe(false);
    const wrong = await h.api('POST', `/api/jobs/${body.id}/duplicate`, {
      body: { scheduleEnabled: 'yes' },
    });
    expect(wrong.status).toBe(400);
  });

  test('validate answers ok/errors/warnings without saving', async () => {
    const good = await h.api('POST', '/api/validate', { body: jobDocument('Only validated') });
    expect(good.body).toEqual({ ok: true, errors: [], warnings: [] });
    const bad = await h.api('POST', '/api/validate', { body: { formatVersion: 2 } });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.errors.length).toBeGreaterThan(0);
    expect((await h.api('GET', '/api/jobs?q=Only validated')).body.total).toBe(0);
  });

  test('sub-jobs pin their target’s version and carry its plan; cycles are a 400', async () => {
    const child = await h.api('POST', '/api/jobs', { body: jobDocument('Child') });
    const parentDoc = {
      formatVersion: 1,
      name: 'Parent',
      tasks: [{ id: 'child', type: 'subjob', params: { jobId: child.body.id } }],
    };
    const parent = await h.api('POST', '/api/jobs', { body: parentDoc });
    expect(parent.status).toBe(201);
    const stored = await h.services.database.versions.findOne({
      jobId: parent.body.id,
      version: 1,
    });
    const plan = JSON.parse(stored!.plan);
    expect(plan.subplans.child.job).toEqual({ id: child.body.id, name: 'Child', version: 1 });
    expect(plan.taskQueue).toBe(h.taskQueue);

    const cycle = await h.api('PUT', `/api/jobs/${child.body.id}`, {
      body: {
        baseVersion: 1,
        document: {
          formatVersion: 1,
          name: 'Child',
          tasks: [{ id: 'p', type: 'subjob', params: { jobId: parent.body.id } }],
        },
      },
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details[0]).toMatchObject({
      path: '$.tasks[0].params.jobId',
      code: 'cycle',
    });

    const missing = await h.api('POST', '/api/jobs', {
      body: {
        formatVersion: 1,
        name: 'Orphan',
        tasks: [{ id: 'x', type: 'subjob', params: { jobId: 'no-such-job' } }],
      },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('$.tasks[0].params.jobId');
  });

  test('delete removes the job and its Temporal Schedule', async () => {
    const { body } = await h.api('POST', '/api/jobs', {
      body: jobDocument('Doomed', { schedule: { cron: '0 3 * * *' } }),
    });
    const id = body.id as string;
    await expect(
      h.services.temporal.client.schedule.getHandle(`job-${id}`).describe(),
    ).resolves.toBeDefined();
    expect((await h.api('DELETE', `/api/jobs/${id}`)).status).toBe(204);
    expect((await h.api('GET', `/api/jobs/${id}`)).status).toBe(404);
    await expect(
      h.services.temporal.client.schedule.getHandle(`job-${id}`).describe(),
    ).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await h.api('DELETE', `/api/jobs/${id}`)).status).toBe(404);
  });

  test('paging reports the total and the page', async () => {
    for (let i = 0; i < 3; i++)
      await h.api('POST', '/api/jobs', { body: jobDocument(`Paged ${i}`) });
    const page = await h.api('GET', '/api/jobs?q=Paged&page=2&pageSize=2');
    expect(page.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.body.items.map((j: { name: string }) => j.name)).toEqual(['Paged 2']);
    const bad = await h.api('GET', '/api/jobs?page=0&pageSize=5000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((p: { path: string }) => p.path)).toEqual([
      '$.page',
      '$.pageSize',
    ]);
  });
});

describe('audit', () => {
  test('records who changed what, with a version diff, and filters', async () => {
    // The analyst owns the job, so may save its next version.
    const analyst = await h.keyFor('analyst');
    const { body } = await h.api('POST', '/api/jobs', {
      key: analyst,
      body: jobDocument('Audited'),
    });
    const id = body.id as string;
    const next = jobDocument('Audited', {
      tasks: [
        { id: 'wait', type: 'delay', params: { seconds: 5 } },
        { id: 'extra', type: 'delay', params: { seconds: 1 } },
      ],
      edges: [{ from: 'wait', to: 'extra', on: 'always' }],
      description: 'now described',
    });
    await h.api('PUT', `/api/jobs/${id}`, {
      key: analyst,
      body: { baseVersion: 1, document: next },
    });

    const audit = await h.api('GET', `/api/audit?jobId=${id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'job.updated',
      'job.created',
    ]);
    const updated = audit.body.items[0];
    expect(updated).toMatchObject({ actor: { name: 'analyst key' }, jobId: id, ip: '127.0.0.1' });
    expect(updated.details.diff).toEqual({
      tasksAdded: ['extra'],
      tasksRemoved: ['after'],
      tasksChanged: [{ id: 'wait', fields: ['params'] }],
      edgesAdded: [{ from: 'wait', to: 'extra', on: 'always' }],
      edgesRemoved: [{ from: 'wait', to: 'after', on: 'success' }],
      fieldsChanged: ['description'],
    });
    const byAction = await h.api('GET', `/api/audit?action=job.updated&actor=analyst key`);
    expect(byAction.body.items.every((e: { action: string }) => e.action === 'job.updated')).toBe(
      true,
    );
    expect(byAction.body.items.length).toBeGreaterThan(0);
    const future = await h.api(
      'GET',
      `/api/audit?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`,
    );
    expect(future.body.items).toEqual([]);
  });
});
