import type { NotifyParams, RunView } from '@batchgraph/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../src/index';
import type { Activities, RunNotificationInput, TaskInput } from '../src/index';
import { activityEnv, failureOf, identity, testConfig } from './support/activity';
import type { TestDb } from './support/mongo';
import { openTestDb } from './support/mongo';
import { SmtpSink } from './support/smtp-sink';
import { StandIn } from './support/stand-in';

let standIn: StandIn;
let sink: SmtpSink;
let mongo: TestDb;
let activities: Activities;

function notifyInput(params: NotifyParams): TaskInput<NotifyParams> {
  return { runId: 'run-n', taskId: 'report', startedBy: identity, params };
}

const failedView: RunView = {
  status: 'failed',
  jobId: 'cleanup',
  jobName: 'nightly-account-cleanup',
  version: 3,
  trigger: 'schedule',
  startedBy: identity,
  startedAt: '2025-01-01T02:00:00.000Z',
  endedAt: '2025-01-01T02:03:12.000Z',
  tasks: {
    find: { state: 'succeeded', attempts: 1 },
    disable: {
      state: 'failed',
      attempts: 3,
      error: 'POST http://idm/disable → 503 Service Unavailable: maintenance',
    },
    report: { state: 'skipped', attempts: 0 },
  },
};

function runInput(runId: string, view: RunView = failedView): RunNotificationInput {
  return {
    runId,
    view,
    notify: { on: 'failure', email: ['ops@example.com'], webhook: standIn.url('/run-hook') },
    runUrl: `http://127.0.0.1:5173/runs/${runId}`,
  };
}

beforeAll(async () => {
  [standIn, sink, mongo] = await Promise.all([
    StandIn.start(),
    SmtpSink.start(),
    openTestDb('notify'),
  ]);
  activities = createActivities({
    config: testConfig({
      BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1',
      BATCHGRAPH_SMTP_URL: sink.url,
      BATCHGRAPH_MAIL_FROM: 'Batchgraph <jobs@example.com>',
    }),
    db: mongo.db,
  });
});

afterAll(async () => {
  await Promise.all([standIn.close(), sink.close(), mongo.close()]);
});

describe('notify activity', () => {
  it('sends the e-mail over SMTP and posts the webhook', async () => {
    const output = await activityEnv().run(
      activities.notify,
      notifyInput({
        email: ['ops@example.com', 'lead@example.com'],
        webhook: standIn.url('/hook'),
        subject: 'Cleanup done',
        message: 'Disabled 42 accounts.',
      }),
    );
    expect(output).toEqual({
      emailed: ['ops@example.com', 'lead@example.com'],
      webhookStatus: 200,
    });
    const mail = sink.mails.at(-1)!;
    expect(mail.subject).toBe('Cleanup done');
    expect(mail.text?.trim()).toBe('Disabled 42 accounts.');
    expect(mail.from?.text).toBe('"Batchgraph" <jobs@example.com>');
    const hook = standIn.requestsTo('/hook').at(-1)!;
    expect(JSON.parse(hook.body)).toEqual({
      subject: 'Cleanup done',
      message: 'Disabled 42 accounts.',
      runId: 'run-n',
      taskId: 'report',
    });
    expect(hook.headers['idempotency-key']).toBe('run-n/report');
  });

  it('fails for good when e-mail is asked for but no SMTP server is configured', async () => {
    const noSmtp = createActivities({ config: testConfig() });
    const failure = await failureOf(
      activityEnv().run(noSmtp.notify, notifyInput({ email: ['a@example.com'] })),
    );
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('BATCHGRAPH_SMTP_URL');
  });

  it('retries a temporary SMTP refusal', async () => {
    sink.rejectNext = 1;
    const failure = await failureOf(
      activityEnv().run(activities.notify, notifyInput({ email: ['a@example.com'] })),
    );
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('NotifyFailed');
  });

  it('holds webhooks to the host allow-list', async () => {
    const failure = await failureOf(
      activityEnv().run(activities.notify, notifyInput({ webhook: 'http://169.254.169.254/hook' })),
    );
    expect(failure.type).toBe('HostNotAllowed');
  });
});

describe('notifyRun activity', () => {
  it('sends the run notification exactly once when called twice', async () => {
    const before = sink.mails.length;
    await activityEnv().run(activities.notifyRun, runInput('job-cleanup-20250101T020000Z'));
    await activityEnv({ attempt: 2 }).run(
      activities.notifyRun,
      runInput('job-cleanup-20250101T020000Z'),
    );
    expect(sink.mails.length - before).toBe(1);
    const mail = sink.mails.at(-1)!;
    expect(mail.subject).toBe('[Batchgraph] nightly-account-cleanup: run failed');
    expect(mail.text).toContain('Job "nightly-account-cleanup" failed.');
    expect(mail.text).toContain('Duration: 3m 12s');
    expect(mail.text).toContain(
      '- disable: POST http://idm/disable → 503 Service Unavailable: maintenance',
    );
    expect(mail.text).toContain(
      'Open the run: http://127.0.0.1:5173/runs/job-cleanup-20250101T020000Z',
    );
    const hooks = standIn.requestsTo('/run-hook');
    expect(hooks).toHaveLength(1);
    expect(JSON.parse(hooks[0]!.body)).toMatchObject({
      runId: 'job-cleanup-20250101T020000Z',
      status: 'failed',
      failedTasks: [{ id: 'disable' }],
      runUrl: 'http://127.0.0.1:5173/runs/job-cleanup-20250101T020000Z',
    });
  });

  it('finishes after a failed attempt without repeating what already went out', async () => {
    const runId = 'job-cleanup-retry';
    standIn.failFirst('/run-hook', 1, 502);
    const before = sink.mails.length;
    const hooksBefore = standIn.requestsTo('/run-hook').length;
    const failure = await failureOf(activityEnv().run(activities.notifyRun, runInput(runId)));
    expect(failure.nonRetryable).toBe(false);
    await activityEnv({ attempt: 2 }).run(activities.notifyRun, runInput(runId));
    await activityEnv({ attempt: 3 }).run(activities.notifyRun, runInput(runId));
    expect(sink.mails.length - before).toBe(1);
    expect(standIn.requestsTo('/run-hook').length - hooksBefore).toBe(2);
  });

  it('sends nothing for a succeeded run when asked to notify on failure only', async () => {
    const before = sink.mails.length;
    await activityEnv().run(
      activities.notifyRun,
      runInput('job-ok', { ...failedView, status: 'succeeded' }),
    );
    expect(sink.mails.length).toBe(before);
  });
});
