// The stand-ins listen on free ports here: jobFor() rewrites the job file's stand-in origins
// (http://127.0.0.1:4015) to theirs before the job is imported through the API. The scenarios run
// in order against one ERP stand-in, whose faults they change.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErpCall } from '../../src/erp';
import type { Api } from '../support/api';
import { jobFor } from '../support/jobs';
import { adminApi, messagesTo, stack, standinState } from './context';

interface ErpState {
  calls: ErpCall[];
  postings: { batch: string }[];
  confirmed: string[];
}

const FINANCE = 'finance-alerts@example.com';
const OPS = 'erp-ops@example.com';

let api: Api;
let jobId: string;

async function callsOf(runId: string, path: string): Promise<number[]> {
  const { calls } = await standinState<ErpState>('erp');
  return calls.filter((call) => call.batch === runId && call.path === path).map((c) => c.status);
}

async function mailsAbout(address: string, runId: string): Promise<{ subject: string }[]> {
  return (await messagesTo(address)).filter((message) => message.text.includes(runId));
}

beforeAll(async () => {
  api = adminApi();
  // Imported by the admin, who also created the non-shared erp-demo connection.
  jobId = await api.importJob(jobFor('erp-batch.json', stack().standins));
});

describe.sequential('erp-batch example', () => {
  it('handles a locked ledger: 4 posting attempts, then only the finance alert', async () => {
    const runId = await api.startRun(jobId);
    const run = await api.waitForRun(runId);

    expect(run.status, JSON.stringify(run.tasks)).toBe('succeeded');
    expect(run.tasks['extract-orders']).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(run.tasks['extract-invoices']).toMatchObject({ state: 'succeeded', attempts: 1 });
    // The exchange-rate service answers 503 twice: the third attempt succeeds.
    expect(run.tasks['sync-rates']).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(run.tasks['refresh-dashboard']?.state).toBe('failed');
    expect(run.tasks['match-payments']?.state).toBe('succeeded');
    expect(run.tasks['post-ledger']).toMatchObject({ state: 'failed', attempts: 4 });
    expect(run.tasks['confirm-batch']?.state).toBe('skipped');
    expect(run.tasks['alert-finance']?.state).toBe('succeeded');

    expect(await callsOf(runId, '/api/exchange-rates/sync')).toEqual([503, 503, 200]);
    expect(await callsOf(runId, '/api/ledger/postings')).toEqual([503, 503, 503, 503]);
    const alerts = await mailsAbout(FINANCE, runId);
    expect(alerts.map((mail) => mail.subject)).toEqual(['ERP batch: ledger posting failed']);
    // The failure was handled by the alert, so the run-failure notification stays silent.
    expect(await mailsAbout(OPS, runId)).toEqual([]);
  });

  it('sends no alert when nothing fails', async () => {
    const faults = await fetch(`${stack().standins.erp}/_faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ periodLocked: false, dashboardDown: false }),
    });
    expect(faults.ok).toBe(true);

    const runId = await api.startRun(jobId);
    const run = await api.waitForRun(runId);

    expect(run.status, JSON.stringify(run.tasks)).toBe('succeeded');
    for (const id of ['refresh-dashboard', 'post-ledger', 'confirm-batch']) {
      expect(run.tasks[id]?.state, id).toBe('succeeded');
    }
    expect(run.tasks['post-ledger']?.attempts).toBe(1);
    expect(run.tasks['alert-finance']?.state).toBe('skipped');
    const state = await standinState<ErpState>('erp');
    expect(state.postings).toContainEqual(expect.objectContaining({ batch: runId }));
    expect(state.confirmed).toContain(runId);
    expect(await mailsAbout(FINANCE, runId)).toEqual([]);
    expect(await mailsAbout(OPS, runId)).toEqual([]);
  });

  it("fails for another user, who has no access to the creator's connection", async () => {
    const { key } = await api.post<{ key: string }>('/api/keys', {
      name: `analyst-${Date.now()}`,
      role: 'analyst',
    });
    const runId = await api.as(key).startRun(jobId);
    const run = await api.waitForRun(runId);

    expect(run.status, JSON.stringify(run.tasks)).toBe('failed');
    expect(run.tasks['extract-orders']?.state).toBe('failed');
    expect(run.tasks['extract-orders']?.error).toContain('erp-demo');
    expect(run.tasks['alert-finance']?.state).toBe('skipped');
    expect((await standinState<ErpState>('erp')).calls.filter((c) => c.batch === runId)).toEqual(
      [],
    );
    expect(await mailsAbout(FINANCE, runId)).toEqual([]);
    const notices = await mailsAbout(OPS, runId);
    expect(notices.map((mail) => mail.subject)).toEqual(['[Batchgraph] erp-batch: run failed']);
  });
});
