/**
 * Batchgraph's activities: one per task type, built by `createActivities` from the worker's
 * configuration and connections, in the idiom of Temporal's TypeScript samples (plain async
 * functions that read their context with `Context.current()`).
 */
import type { Config } from '@batchgraph/engine';
import { Context } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { createTransport } from 'nodemailer';
import { Agent } from 'undici';
import type { Activities } from './contract';
import { resolveCommands, runCommand } from './command';
import { attemptBudgetMs, heartbeating, requestBudgetMs } from './context';
import type { TaskDeps } from './deps';
import { errorMessage } from './errors';
import { runChunk } from './foreach';
import { itemsAt } from './foreach-items';
import type { Resolver } from './hosts';
import { guardedConnector, systemResolver } from './hosts';
import { ProtectedEndpoints, productEndpoints } from './protected';
import { runAs } from './connections';
import { Redactor } from './redact';
import { idempotencyKey, performHttp } from './http';
import type { Mailer } from './notify';
import { sendNotification } from './notify';
import { notifyRun } from './run-notification';
import { TaskLog } from './task-log';

export type * from './contract';
export type { Mailer } from './notify';
export type { Resolver } from './hosts';

export interface ActivityDeps {
  config: Config;
  /** The product database: connections, task logs, notification markers. */
  db?: Db;
  /** Default: SMTP at BATCHGRAPH_SMTP_URL, when set. */
  mailer?: Mailer;
  /** Default: the system resolver (node:dns). */
  resolve?: Resolver;
}

/**
 * undici closes a kept-alive connection this long before the server's announced `Keep-Alive:
 * timeout` (its default is 2 s). Servers announcing a short timeout (1–2 s) would otherwise get a
 * new connection per request; a foreach of many items then spends most of its time connecting.
 */
const KEEP_ALIVE_MARGIN_MS = 500;

function taskDeps(deps: ActivityDeps): TaskDeps {
  const { config } = deps;
  const resolve = deps.resolve ?? systemResolver;
  const own = new ProtectedEndpoints(productEndpoints(config), resolve);
  const mailer =
    deps.mailer ??
    (config.BATCHGRAPH_SMTP_URL ? createTransport(config.BATCHGRAPH_SMTP_URL) : undefined);
  return {
    http: {
      allowedHosts: config.BATCHGRAPH_HTTP_ALLOWED_HOSTS,
      redactor: new Redactor(config.BATCHGRAPH_HTTP_REDACT_HEADERS),
      resolve,
      protectedEndpoints: own,
      dispatcher: new Agent({
        connect: guardedConnector(resolve, own),
        keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS,
      }),
      connections: { db: deps.db, secretKey: config.BATCHGRAPH_SECRET_KEY },
    },
    mail: { mailer, from: config.BATCHGRAPH_MAIL_FROM },
    commandsAllowed: resolveCommands(config.BATCHGRAPH_COMMANDS_ALLOWED),
    db: deps.db,
  };
}

export function createActivities(deps: ActivityDeps): Activities {
  const task = taskDeps(deps);
  const beat = (): void => Context.current().heartbeat();

  return {
    async http({ runId, taskId, startedBy, params }) {
      const ctx = Context.current();
      return heartbeating(beat, () =>
        performHttp(task.http, {
          params,
          idempotencyKey: idempotencyKey(runId, taskId),
          runAs: runAs(startedBy, ctx.info),
          signal: ctx.cancellationSignal,
          timeoutMs: requestBudgetMs(params.timeoutSeconds, ctx.info),
        }),
      );
    },

    async command({ runId, taskId, params }) {
      const ctx = Context.current();
      const log = new TaskLog(task.db, { runId, taskId, attempt: ctx.info.attempt }, (error) =>
        ctx.log.warn('task log write failed', { error: errorMessage(error) }),
      );
      try {
        return await heartbeating(beat, () =>
          runCommand({
            params,
            allowed: task.commandsAllowed,
            signal: ctx.cancellationSignal,
            timeoutMs: attemptBudgetMs(ctx.info),
            log,
          }),
        );
      } finally {
        await log.close();
      }
    },

    async notify({ runId, taskId, params }) {
      const ctx = Context.current();
      return heartbeating(beat, () =>
        sendNotification(task, {
          params,
          runId,
          taskId,
          idempotencyKey: idempotencyKey(runId, taskId),
          signal: ctx.cancellationSignal,
          timeoutMs: attemptBudgetMs(ctx.info),
        }),
      );
    },

    async foreach(input) {
      return runChunk(task, input, Context.current());
    },

    async foreachItems({ runId, taskId, startedBy, source }) {
      const ctx = Context.current();
      const response = await heartbeating(beat, () =>
        performHttp(task.http, {
          params: source.http,
          idempotencyKey: idempotencyKey(runId, taskId, 'items'),
          runAs: runAs(startedBy, ctx.info),
          signal: ctx.cancellationSignal,
          timeoutMs: requestBudgetMs(source.http.timeoutSeconds, ctx.info),
        }),
      );
      return itemsAt(response, source.path, `the items source of ${taskId}`);
    },

    async notifyRun(input) {
      const ctx = Context.current();
      await heartbeating(beat, () =>
        notifyRun(
          {
            db: task.db,
            http: task.http,
            mail: task.mail,
            warn: (message) => ctx.log.warn(message),
          },
          input,
          { signal: ctx.cancellationSignal, timeoutMs: attemptBudgetMs(ctx.info) },
        ),
      );
    },
  };
}
