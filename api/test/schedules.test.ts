import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeSchedule, eventually, temporalCli } from './cli';
import { jobDocument, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('schedules');
});
afterAll(async () => h?.stop());

async function createScheduled(name: string, schedule: Record<string, unknown>): Promise<string> {
  // A schedule's input must match the job's declared inputs.
  const inputs = Object.keys((schedule.input as object | undefined) ?? {}).map((input) => ({
    name: input,
    type: 'string',
  }));
  const created = await h.api('POST', '/api/jobs', {
    body: jobDocument(name, { schedule, ...(inputs.length > 0 ? { inputs } : {}) }),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('schedules', () => {
  test('a new schedule is created paused with a note, as the CLI sees it', async () => {
    const id = await createScheduled('Paused at birth', {
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      maxRuns: 5,
    });
    const cli = await describeSchedule(`job-${id}`);
    expect(cli.schedule.state).toMatchObject({
      paused: true,
      notes: 'created paused',
      limitedActions: true,
      remainingActions: '5',
    });
    expect(cli.schedule.action.startWorkflow).toMatchObject({
      workflowId: `job-${id}`,
      workflowType: { name: 'runPlan' },
      taskQueue: { name: h.taskQueue },
    });
    const view = await h.api('GET', `/api/jobs/${id}/schedule`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      paused: true,
      note: 'created paused',
      timezone: 'Europe/Berlin',
      overlap: 'skip',
      remainingActions: 5,
    });
    // Five runs left: Temporal lists only those five.
    expect(view.body.nextRuns).toHaveLength(5);
    expect(view.body.nextRuns.every((at: string) => new Date(at).toISOString() === at)).toBe(true);
  });

  test('enabled: true creates it running; a job without a schedule answers 404', async () => {
    const id = await createScheduled('Enabled at birth', {
      cron: '0 5 * * *',
      enabled: true,
      overlap: 'buffer_one',
    });
    const cli = await describeSchedule(`job-${id}`);
    expect(cli.schedule.state.paused ?? false).toBe(false);
    expect(cli.schedule.policies.overlapPolicy).toBe('SCHEDULE_OVERLAP_POLICY_BUFFER_ONE');
    const plain = await h.api('POST', '/api/jobs', { body: jobDocument('No schedule') });
    expect((await h.api('GET', `/api/jobs/${plain.body.id}/schedule`)).status).toBe(404);
  });

  test('pause and resume through the API show in the CLI; a note is required to pause', async () => {
    const id = await createScheduled('Toggled', { cron: '0 6 * * *', enabled: true });
    const missingNote = await h.api('POST', `/api/jobs/${id}/schedule/pause`, { body: {} });
    expect(missingNote.status).toBe(400);
    expect(missingNote.body.error.details[0].path).toBe('$.note');

    const paused = await h.api('POST', `/api/jobs/${id}/schedule/pause`, {
      body: { note: 'maintenance window' },
    });
    expect(paused.body).toMatchObject({ paused: true, note: 'maintenance window' });
    expect((await describeSchedule(`job-${id}`)).schedule.state).toMatchObject({
      paused: true,
      notes: 'maintenance window',
    });

    const resumed = await h.api('POST', `/api/jobs/${id}/schedule/resume`, {
      body: { note: 'back' },
    });
    expect(resumed.body.paused).toBe(false);
    expect((await describeSchedule(`job-${id}`)).schedule.state.paused ?? false).toBe(false);

    const audit = await h.api('GET', `/api/audit?jobId=${id}&action=schedule.paused`);
    expect(audit.body.items[0].details.note).toBe('maintenance window');
  });

  test('a pause made with the CLI is what the API shows, and saving the job keeps it', async () => {
    const id = await createScheduled('Paused elsewhere', { cron: '0 7 * * *', enabled: true });
    await temporalCli(
      'schedule',
      'toggle',
      '--schedule-id',
      `job-${id}`,
      '--pause',
      '--reason',
      'paused from the CLI',
    );
    const view = await h.api('GET', `/api/jobs/${id}/schedule`);
    expect(view.body).toMatchObject({ paused: true, note: 'paused from the CLI' });

    const saved = await h.api('PUT', `/api/jobs/${id}`, {
      body: {
        baseVersion: 1,
        document: jobDocument('Paused elsewhere', {
          schedule: { cron: '15 7 * * *', enabled: true },
        }),
      },
    });
    expect(saved.status).toBe(200);
    const cli = await describeSchedule(`job-${id}`);
    expect(cli.schedule.state).toMatchObject({ paused: true, notes: 'paused from the CLI' });
    expect(JSON.stringify(cli.schedule.spec)).toContain('15');
    const list = await h.api('GET', '/api/jobs?q=Paused elsewhere');
    expect(list.body.items[0].schedule).toMatchObject({
      kind: 'cron',
      paused: true,
      note: 'paused from the CLI',
    });
  });

  test('trigger starts a run now; backfill takes the actions of a past period', async () => {
    const id = await createScheduled('Triggered', {
      cron: '0 1 * * *',
      overlap: 'allow_all',
      input: { source: 'schedule' },
    });
    expect((await h.api('POST', `/api/jobs/${id}/schedule/trigger`, { body: {} })).status).toBe(
      202,
    );
    const afterTrigger = await eventually(
      () => describeSchedule(`job-${id}`),
      (d) => Number(d.info.actionCount ?? 0) >= 1,
      'the triggered action',
    );
    const runId = afterTrigger.info.recentActions?.[0]?.startWorkflowResult?.workflowId ?? '';
    expect(runId.startsWith(`job-${id}-`)).toBe(true);

    const runs = await eventually(
      () => h.api('GET', `/api/runs?jobId=${id}`),
      (r) => r.body.items.length >= 1,
      'the run in visibility',
    );
    expect(runs.body.items[0]).toMatchObject({
      jobId: id,
      jobName: 'Triggered',
      version: 1,
      trigger: 'schedule',
      status: 'running',
    });

    const backfill = await h.api('POST', `/api/jobs/${id}/schedule/backfill`, {
      body: { from: '2026-01-01T00:00:00Z', to: '2026-01-03T12:00:00Z', overlap: 'allow_all' },
    });
    expect(backfill.status).toBe(202);
    await eventually(
      () => describeSchedule(`job-${id}`),
      (d) => Number(d.info.actionCount ?? 0) >= 4,
      'three backfilled actions',
    );
    const view = await h.api('GET', `/api/jobs/${id}/schedule`);
    expect(view.body.recentActions.length).toBeGreaterThanOrEqual(4);

    const first = await eventually(
      () => h.api('GET', `/api/runs?jobId=${id}&pageSize=2`),
      (r) => r.body.nextPageToken !== undefined,
      'a second page of runs',
    );
    expect(first.body.items).toHaveLength(2);
    const second = await h.api(
      'GET',
      `/api/runs?jobId=${id}&pageSize=2&pageToken=${first.body.nextPageToken}`,
    );
    expect(second.status).toBe(200);
    const firstIds = first.body.items.map((r: { runId: string }) => r.runId);
    for (const run of second.body.items) expect(firstIds).not.toContain(run.runId);
    const forged = await h.api('GET', `/api/runs?jobId=${id}&pageToken=bm90LWEtdG9rZW4`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.details[0].path).toBe('$.pageToken');
    expect(view.body.recentActions[0].runId.startsWith(`job-${id}-`)).toBe(true);

    const bad = await h.api('POST', `/api/jobs/${id}/schedule/backfill`, {
      body: { from: '2026-01-03T00:00:00Z', to: '2026-01-01T00:00:00Z', overlap: 'sometimes' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining(['$.overlap']),
    );
  });

  test('bulk pause and resume by ids and by filter', async () => {
    const a = await createScheduled('Bulk alpha', { cron: '0 8 * * *', enabled: true });
    const b = await createScheduled('Bulk beta', { cron: '0 9 * * *', enabled: true });
    const plain = (await h.api('POST', '/api/jobs', { body: jobDocument('Bulk plain') })).body.id;
    const paused = await h.api('POST', '/api/schedules/pause', {
      body: { filter: { q: 'Bulk' }, note: 'freeze' },
    });
    expect(paused.body.paused.sort()).toEqual([a, b].sort());
    expect(paused.body.paused).not.toContain(plain);
    for (const id of [a, b]) {
      expect((await describeSchedule(`job-${id}`)).schedule.state).toMatchObject({
        paused: true,
        notes: 'freeze',
      });
    }
    const onlyPaused = await h.api('GET', '/api/jobs?q=Bulk&paused=true');
    expect(onlyPaused.body.items.map((j: { id: string }) => j.id).sort()).toEqual([a, b].sort());

    const resumed = await h.api('POST', '/api/schedules/resume', { body: { ids: [a, plain] } });
    expect(resumed.body.resumed).toEqual([a]);
    expect((await describeSchedule(`job-${a}`)).schedule.state.paused ?? false).toBe(false);
    expect((await describeSchedule(`job-${b}`)).schedule.state.paused).toBe(true);

    const neither = await h.api('POST', '/api/schedules/resume', { body: {} });
    expect(neither.status).toBe(400);
  });

  test('removing the schedule from the job deletes the Temporal Schedule', async () => {
    const id = await createScheduled('Unscheduled later', { cron: '0 10 * * *' });
    await h.api('PUT', `/api/jobs/${id}`, {
      body: { baseVersion: 1, document: jobDocument('Unscheduled later') },
    });
    await expect(describeSchedule(`job-${id}`)).rejects.toThrow();
    expect((await h.api('GET', `/api/jobs/${id}/schedule`)).status).toBe(404);
  });
});
