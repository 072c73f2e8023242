/**
 * The `notify` task: an e-mail over SMTP and/or a JSON webhook. Params arrive rendered by the
 * workflow; the webhook goes through performHttp, so the host allow-list applies to it too.
 */
import type { NotifyParams } from '@batchgraph/engine';
import type { SendMailOptions } from 'nodemailer';
import type { NotifyOutput } from './contract';
import { finalFailure, retryableFailure, rootMessage } from './errors';
import type { HttpDeps } from './http';
import { performHttp } from './http';

/** What the activities need of an e-mail transport (nodemailer's Transporter fits). */
export interface Mailer {
  sendMail(mail: SendMailOptions): Promise<{ accepted: (string | { address: string })[] }>;
}

export interface MailDeps {
  mailer?: Mailer;
  from: string;
}

export interface Email {
  to: string[];
  subject: string;
  text: string;
}

/** Sends one e-mail and returns the accepted addresses; 5xx SMTP replies are final. */
export async function sendEmail(deps: MailDeps, email: Email): Promise<string[]> {
  if (!deps.mailer) {
    throw finalFailure(
      'e-mail cannot be sent: set BATCHGRAPH_SMTP_URL on the worker (e.g. smtp://mail.example:587)',
      'NotConfigured',
    );
  }
  try {
    const info = await deps.mailer.sendMail({ from: deps.from, ...email });
    return info.accepted.map((entry) => (typeof entry === 'string' ? entry : entry.address));
  } catch (cause) {
    const code = (cause as { responseCode?: number }).responseCode;
    const message = `sending e-mail to ${email.to.join(', ')} failed: ${rootMessage(cause)}`;
    const failure = code !== undefined && code >= 500 ? finalFailure : retryableFailure;
    throw failure(message, 'NotifyFailed', { cause });
  }
}

export interface NotifyCall {
  params: NotifyParams;
  runId: string;
  taskId: string;
  idempotencyKey: string;
  signal: AbortSignal;
  timeoutMs: number;
}

export async function sendNotification(
  deps: { http: HttpDeps; mail: MailDeps },
  call: NotifyCall,
): Promise<NotifyOutput> {
  const { params, runId, taskId } = call;
  const subject = params.subject ?? `Batchgraph: ${taskId} in ${runId}`;
  const message = params.message ?? '';
  const recipients = params.email ?? [];
  const emailed =
    recipients.length > 0
      ? await sendEmail(deps.mail, { to: recipients, subject, text: message })
      : [];
  if (params.webhook === undefined) return { emailed };
  const response = await performHttp(deps.http, {
    params: { method: 'POST', url: params.webhook, body: { subject, message, runId, taskId } },
    idempotencyKey: call.idempotencyKey,
    signal: call.signal,
    timeoutMs: call.timeoutMs,
  });
  return { emailed, webhookStatus: response.status };
}
