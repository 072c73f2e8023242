import {
  collectTemplates,
  compileJob,
  simulate,
  validateJob,
  type Job,
  type Task,
} from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { demoConnections } from '../src/connections';
import { defaultPorts } from '../src/ports';
import { jobFiles, readJob } from './support/jobs';

function validJob(file: string): Job {
  const result = validateJob(readJob(file));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  return result.job;
}

function task(job: Job, id: string): Task {
  const found = job.tasks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`${job.name} has no task ${id}`);
  return found;
}

describe('example job files', () => {
  it('are the five documented examples', () => {
    expect(jobFiles).toEqual([
      'catalog-maintenance.json',
      'entity-sync.json',
      'erp-batch.json',
      'identity-lifecycle.json',
      'network-automation.json',
    ]);
  });

  it.each(jobFiles)('%s validates without warnings and compiles', (file) => {
    const document = readJob(file);
    const result = validateJob(document);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(document.name).toBe(file.replace(/\.json$/, ''));
    const compiled = compileJob(document);
    expect(compiled.ok).toBe(true);
  });

  it.each(jobFiles)('%s calls only the stand-ins on loopback', (file) => {
    const text = JSON.stringify(readJob(file));
    const origins = [...text.matchAll(/https?:\/\/[^/"]+/g)].map(([origin]) => origin);
    const allowed = Object.values(defaultPorts).map((port) => `http://127.0.0.1:${port}`);
    expect(origins.length).toBeGreaterThan(0);
    for (const origin of origins) expect(allowed).toContain(origin);
  });

  it('name only connections that the demo connections provide', () => {
    const named = jobFiles.flatMap((file) =>
      [...JSON.stringify(readJob(file)).matchAll(/"connection":"([^"]+)"/g)].map(([, n]) => n),
    );
    expect(new Set(named)).toEqual(new Set(demoConnections.map((c) => c.name)));
  });

  it('use templates that parse', () => {
    for (const file of jobFiles) {
      for (const entry of validJob(file).tasks) {
        expect(() => collectTemplates(entry.params)).not.toThrow();
      }
    }
  });
});

describe('identity-lifecycle', () => {
  const job = validJob('identity-lifecycle.json');

  it('runs daily at 02:00 Berlin time, created paused', () => {
    expect(job.schedule).toMatchObject({
      preset: { kind: 'daily', time: '02:00' },
      timezone: 'Europe/Berlin',
      enabled: false,
    });
  });

  it('finds accounts with the iam-demo connection and disables each one', () => {
    const find = task(job, 'find-inactive');
    const disable = task(job, 'disable-accounts');
    expect(find.type === 'http' && find.params.connection).toBe('iam-demo');
    expect(disable.type === 'foreach' && disable.params.items).toBe(
      '{{ tasks.find-inactive.output.body.accounts }}',
    );
    expect(disable.type === 'foreach' && disable.params.task.params).toMatchObject({
      method: 'POST',
      url: 'http://127.0.0.1:4011/api/accounts/{{ item.id }}/disable',
      connection: 'iam-demo',
    });
    expect(task(job, 'report').type).toBe('notify');
  });
});

describe('catalog-maintenance', () => {
  it('e-mails the summary whatever the tagging did (always edge)', () => {
    const job = validJob('catalog-maintenance.json');
    expect(job.edges).toContainEqual({ from: 'tag-hits', to: 'summary', on: 'always' });
    const plan = compileJob(job);
    if (!plan.ok) throw new Error('does not compile');
    const outcome = simulate(plan.plan, { 'tag-hits': Infinity });
    expect(outcome.tasks.summary?.state).toBe('succeeded');
    expect(outcome.outcome).toBe('failed');
  });
});

describe('entity-sync', () => {
  it('is fetch → sync → summarize, with the foreach on the sync task queue', () => {
    const job = validJob('entity-sync.json');
    expect(job.tasks.map((t) => t.id)).toEqual(['fetch', 'sync', 'summarize']);
    const sync = task(job, 'sync');
    expect(sync.taskQueue).toBe('sync');
    expect(sync.type === 'foreach' && sync.params.concurrency).toBe(4);
  });
});

describe('network-automation', () => {
  it('runs every 15 minutes between two dates with the devices and payload as input', () => {
    const job = validJob('network-automation.json');
    expect(job.schedule?.enabled).toBe(false);
    expect(job.schedule?.interval).toMatchObject({ every: 15, unit: 'minutes' });
    expect(job.schedule?.interval?.end).toBeDefined();
    const input = job.schedule?.input as { devices: string[]; payload: object };
    expect(input.devices.length).toBeGreaterThan(1);
    const push = task(job, 'push-config');
    expect(push.type === 'foreach' && push.params.items).toBe('{{ input.devices }}');
    expect(push.type === 'foreach' && push.params.task.params).toMatchObject({
      body: '{{ input.payload }}',
    });
  });
});

describe('erp-batch', () => {
  const job = validJob('erp-batch.json');
  const compiled = compileJob(job);
  if (!compiled.ok) throw new Error('erp-batch does not compile');
  const { plan } = compiled;

  it('has every kind of condition the ERP screen offers', () => {
    expect(task(job, 'refresh-dashboard')).toMatchObject({ join: 'any', ignoreFailure: true });
    expect(task(job, 'match-payments').join).toBe('all');
    expect(job.edges.filter((edge) => edge.to === 'match-payments')).toHaveLength(3);
    expect(task(job, 'post-ledger').retries).toBe(3);
    expect(job.edges).toContainEqual({ from: 'post-ledger', to: 'alert-finance', on: 'failure' });
    expect(job.settings?.notify?.on).toBe('failure');
    const erp = demoConnections.find((connection) => connection.name === 'erp-demo');
    expect(erp?.shared).toBe(false);
  });

  it('handles a failed posting with the alert, and retries it 4 attempts in all', () => {
    const run = simulate(plan, {
      'sync-rates': 2,
      'refresh-dashboard': 1,
      'post-ledger': Infinity,
    });
    expect(run.outcome).toBe('succeeded');
    expect(run.tasks['sync-rates']).toEqual({ state: 'succeeded', attempts: 3 });
    expect(run.tasks['post-ledger']).toEqual({ state: 'failed', attempts: 4 });
    expect(run.tasks['alert-finance']?.state).toBe('succeeded');
    expect(run.tasks['confirm-batch']?.state).toBe('skipped');
  });

  it('sends no alert when posting succeeds', () => {
    const run = simulate(plan, {});
    expect(run.outcome).toBe('succeeded');
    expect(run.tasks['alert-finance']?.state).toBe('skipped');
    expect(run.tasks['confirm-batch']?.state).toBe('succeeded');
  });

  it('fails the run when the extracts fail', () => {
    const run = simulate(plan, { 'extract-orders': 1, 'extract-invoices': 1 });
    expect(run.outcome).toBe('failed');
    expect(run.tasks['refresh-dashboard']?.state).toBe('skipped');
    expect(run.tasks['alert-finance']?.state).toBe('skipped');
  });
});
