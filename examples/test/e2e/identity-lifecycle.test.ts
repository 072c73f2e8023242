// The stand-ins listen on free ports here: jobFor() rewrites the job file's stand-in origins
// (http://127.0.0.1:4011 …) to theirs before the job is imported through the API.
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/iam';
import { jobFor } from '../support/jobs';
import { adminApi, messagesTo, stack, standinState } from './context';

interface AuditEntry {
  action: string;
  runId?: string;
  jobId?: string;
  actor: { id: string; name: string };
}

describe('identity-lifecycle example', () => {
  it('is imported paused, disables the idle accounts, e-mails a report and audits the run', async () => {
    const api = adminApi();
    const me = await api.get<{ id: string }>('/api/me');
    const jobId = await api.importJob(jobFor('identity-lifecycle.json', stack().standins));
    expect((await api.jobSummary(jobId)).schedule?.paused).toBe(true);

    const runId = await api.startRun(jobId);
    const run = await api.waitForRun(runId);

    expect(run.status, JSON.stringify(run.tasks)).toBe('succeeded');
    expect(run.trigger).toBe('manual');
    expect(run.tasks['find-inactive']).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(run.tasks['disable-accounts']).toMatchObject({
      state: 'succeeded',
      progress: { total: 4, done: 4, succeeded: 4, failed: 0 },
    });
    expect(run.tasks.report?.state).toBe('succeeded');

    const { accounts } = await standinState<{ accounts: Account[] }>('iam');
    const disabled = accounts.filter((account) => account.status === 'disabled');
    expect(disabled.map((account) => account.id)).toEqual(['u-1002', 'u-1004', 'u-1006', 'u-1008']);

    const reports = (await messagesTo('iam-admins@example.com')).filter((message) =>
      message.text.includes(runId),
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.subject).toBe('Identity lifecycle: 4 inactive accounts');
    expect(reports[0]?.text).toContain('Deactivation task: succeeded');

    const audit = await api.get<{ items: AuditEntry[] }>(
      `/api/audit?jobId=${encodeURIComponent(jobId)}&action=run.started`,
    );
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        action: 'run.started',
        runId,
        actor: expect.objectContaining({ id: me.id }),
      }),
    );
  });
});
