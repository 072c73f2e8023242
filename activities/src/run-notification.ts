/**
 * The job-level notification when a run ends (settings.notify). It is sent once per run even when
 * the activity is retried after a worker restart: a marker document keyed by the run id is claimed
 * before anything is sent and records each channel once it has gone out.
 */
import { collections } from '@batchgraph/engine';
import type { NotifySettings, RunStatus, RunView } from '@batchgraph/engine';
import type { Db } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { RunNotificationInput } from './contract';
import type { HttpDeps } from './http';
import { idempotencyKey, performHttp } from './http';
import type { MailDeps } from './notify';
import { sendEmail } from './notify';

const DUPLICATE_KEY = 11000;

/** The marker of a run's notification; `sending` left behind by a crash is never re-sent. */
export interface NotificationDoc {
  _id: string;
  state: 'sending' | 'sent' | 'failed';
  emailed: boolean;
  webhooked: boolean;
  at: Date;
}

export interface RunNotificationDeps {
  db?: Db;
  http: HttpDeps;
  mail: MailDeps;
  warn: (message: string) => void;
}

export function shouldNotify(notify: NotifySettings, status: RunStatus): boolean {
  if (notify.on === 'always') return true;
  return notify.on === 'failure' && (status === 'failed' || status === 'timed_out');
}

const outcomes: Record<RunStatus, string> = {
  running: 'is still running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'was cancelled',
  terminated: 'was terminated',
  timed_out: 'timed out',
};

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const parts = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ] as const;
  const shown = parts.filter(([value]) => value > 0).map(([value, unit]) => `${value}${unit}`);
  return shown.length > 0 ? shown.join(' ') : '0s';
}

function failedTasks(view: RunView): { id: string; error: string }[] {
  return Object.entries(view.tasks)
    .filter(([, task]) => task.state === 'failed')
    .map(([id, task]) => ({ id, error: task.error ?? 'no error recorded' }));
}

export function runMessage(input: RunNotificationInput): { subject: string; text: string } {
  const { view } = input;
  const ended = view.endedAt ? Date.parse(view.endedAt) : Date.now();
  const failed = failedTasks(view);
  const lines = [
    `Job "${view.jobName}" ${outcomes[view.status]}.`,
    '',
    `Run: ${input.runId} (${view.trigger}, started by ${view.startedBy.name})`,
    `Duration: ${formatDuration(ended - Date.parse(view.startedAt))}`,
  ];
  if (failed.length > 0) {
    lines.push('', 'Failed tasks:', ...failed.map(({ id, error }) => `  - ${id}: ${error}`));
  }
  lines.push('', `Open the run: ${input.runUrl}`);
  return {
    subject: `[Batchgraph] ${view.jobName}: run ${outcomes[view.status]}`,
    text: lines.join('\n'),
  };
}

type Marker = Pick<NotificationDoc, 'emailed' | 'webhooked'>;

/** Claims the run's notification; undefined when it was sent (or is being sent) already. */
async function claim(db: Db, runId: string): Promise<Marker | undefined> {
  const markers = db.collection<NotificationDoc>(collections.notifications);
  try {
    await markers.insertOne({
      _id: runId,
      state: 'sending',
      emailed: false,
      webhooked: false,
      at: new Date(),
    });
    return { emailed: false, webhooked: false };
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
  }
  // A failed earlier attempt left a marker saying what already went out: finish the rest.
  const retried = await markers.findOneAndUpdate(
    { _id: runId, state: 'failed' },
    { $set: { state: 'sending', at: new Date() } },
  );
  return retried ?? undefined;
}

export interface SendContext {
  signal: AbortSignal;
  timeoutMs: number;
}

export async function notifyRun(
  deps: RunNotificationDeps,
  input: RunNotificationInput,
  context: SendContext,
): Promise<void> {
  const { notify, view, runId } = input;
  const recipients = notify.email ?? [];
  if (!shouldNotify(notify, view.status) || (recipients.length === 0 && !notify.webhook)) return;
  let marker: Marker = { emailed: false, webhooked: false };
  if (deps.db) {
    const claimed = await claim(deps.db, runId);
    if (!claimed) return;
    marker = claimed;
  } else {
    deps.warn(`run ${runId}: no database, so its notification may be sent twice if retried`);
  }
  const markers = deps.db?.collection<NotificationDoc>(collections.notifications);
  const record = async (update: Partial<NotificationDoc>): Promise<void> => {
    await markers?.updateOne({ _id: runId }, { $set: update });
  };
  const { subject, text } = runMessage(input);
  try {
    if (recipients.length > 0 && !marker.emailed) {
      await sendEmail(deps.mail, { to: recipients, subject, text });
      await record({ emailed: true });
    }
    if (notify.webhook && !marker.webhooked) {
      await performHttp(deps.http, {
        params: {
          method: 'POST',
          url: notify.webhook,
          body: {
            subject,
            message: text,
            runId,
            runUrl: input.runUrl,
            jobId: view.jobId,
            jobName: view.jobName,
            status: view.status,
            failedTasks: failedTasks(view),
          },
        },
        idempotencyKey: idempotencyKey(runId, 'notify-run'),
        signal: context.signal,
        timeoutMs: context.timeoutMs,
      });
      await record({ webhooked: true });
    }
    await record({ state: 'sent', at: new Date() });
  } catch (error) {
    await record({ state: 'failed', at: new Date() });
    throw error;
  }
}
