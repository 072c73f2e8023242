/**
 * Batchgraph's activities: one per task type, built by `createActivities` from the worker's
 * configuration and connections, in the idiom of Temporal's TypeScript samples (plain async
 * functions that read their context with `Context.current()`).
 */
import {
  chunkOffsets,
  type CommandParams,
  type Config,
  type HttpParams,
  type NotifyParams,
  type OutputStore,
  type Plan,
} from '@batchgraph/engine';
import { Context } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { createTransport } from 'nodemailer';
import { Agent } from 'undici';
import type {
  Activities,
  CommandOutput,
  HttpOutput,
  NotifyOutput,
  ForeachItemsInput,
  ForeachItemsStored,
  TaskActivity,
  TaskInput,
  TaskResult,
} from './contract';
import {
  loadStored,
  renderTaskTemplates,
  storeOutput,
  storeValue,
  type ClaimCheckDeps,
} from './claim-check';
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
import { MongoOutputStore } from './output-store';
import { notifyRun } from './run-notification';
import { TaskLog } from './task-log';

export type * from './contract';
export type { Mailer } from './notify';
export type { Resolver } from './hosts';

export interface ActivityDeps {
  config: Config;
  /** The product database: connections, task logs, notification markers, task outputs. */
  db?: Db;
  /** Where task outputs go; default: MongoDB's `task_outputs` in `db`. */
  outputs?: OutputStore;
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
      maxOutputBytes: config.BATCHGRAPH_MAX_TASK_OUTPUT_BYTES,
    },
    mail: { mailer, from: config.BATCHGRAPH_MAIL_FROM },
    commandsAllowed: resolveCommands(config.BATCHGRAPH_COMMANDS_ALLOWED),
    db: deps.db,
  };
}

export function createActivities(deps: ActivityDeps): Activities {
  const task = taskDeps(deps);
  const claims: ClaimCheckDeps = {
    store: deps.outputs ?? (deps.db ? new MongoOutputStore(deps.db) : undefined),
    maxOutputBytes: deps.config.BATCHGRAPH_MAX_TASK_OUTPUT_BYTES,
  };
  const beat = (): void => Context.current().heartbeat();

  /**
   * A task activity in the claim-check: its `{{ tasks.… }}` templates rendered from the store
   * first, its output stored after (when the workflow asks for that, see TaskInput.summaryBytes).
   */
  const claimChecked =
    <P, T>(run: (input: TaskInput<P>) => Promise<T>): TaskActivity<P, T> =>
    async <I extends TaskInput<P>>(input: I): Promise<TaskResult<I, T>> => {
      const params = await renderTaskTemplates(claims, input.params, input.tasks);
      const output = await run({ ...input, params });
      if (input.summaryBytes === undefined) return output as TaskResult<I, T>;
      const { attempt } = Context.current().info;
      const key = { runId: input.runId, taskId: input.taskId, attempt };
      return (await storeOutput(claims, key, output, input.summaryBytes)) as TaskResult<I, T>;
    };

  const foreachItems = async (
    input: ForeachItemsInput,
  ): Promise<unknown[] | ForeachItemsStored> => {
    const ctx = Context.current();
    const { runId, keyRunId = runId, taskId, startedBy } = input;
    const source = await renderTaskTemplates(claims, input.source, input.tasks);
    let items: unknown[];
    if ('http' in source) {
      const response = await heartbeating(beat, () =>
        performHttp(task.http, {
          params: source.http,
          idempotencyKey: idempotencyKey(keyRunId, taskId, 'items'),
          runAs: runAs(startedBy, ctx.info),
          signal: ctx.cancellationSignal,
          timeoutMs: requestBudgetMs(source.http.timeoutSeconds, ctx.info),
        }),
      );
      items = itemsAt(response, source.path, `the items source of ${taskId}`);
    } else {
      items = itemsAt(
        { status: 200, headers: {}, body: source.template },
        undefined,
        `the items of ${taskId}`,
      );
    }
    if (!input.chunking) return items;
    const { maxItems, maxBytes } = input.chunking;
    const offsets = chunkOffsets(items, maxItems, maxBytes);
    const chunks = await Promise.all(
      offsets.map(async (offset, index) => {
        const slice = items.slice(offset, offsets[index + 1] ?? items.length);
        const key = { runId, taskId: `${taskId}#items-${index}`, attempt: ctx.info.attempt };
        return { offset, count: slice.length, items: await storeValue(claims, key, slice) };
      }),
    );
    return { count: items.length, chunks };
  };

  return {
    http: claimChecked<HttpParams, HttpOutput>(
      async ({ runId, keyRunId = runId, taskId, startedBy, params }) => {
        const ctx = Context.current();
        return heartbeating(beat, () =>
          performHttp(task.http, {
            params,
            idempotencyKey: idempotencyKey(keyRunId, taskId),
            runAs: runAs(startedBy, ctx.info),
            signal: ctx.cancellationSignal,
            timeoutMs: requestBudgetMs(params.timeoutSeconds, ctx.info),
          }),
        );
      },
    ),

    command: claimChecked<CommandParams, CommandOutput>(async ({ runId, taskId, params }) => {
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
    }),

    notify: claimChecked<NotifyParams, NotifyOutput>(
      async ({ runId, keyRunId = runId, taskId, params }) => {
        const ctx = Context.current();
        return heartbeating(beat, () =>
          sendNotification(task, {
            params,
            runId,
            taskId,
            idempotencyKey: idempotencyKey(keyRunId, taskId),
            signal: ctx.cancellationSignal,
            timeoutMs: attemptBudgetMs(ctx.info),
          }),
        );
      },
    ),

    async foreach(input) {
      return runChunk(task, claims, input, Context.current());
    },

    foreachItems,

    async storePlan({ runId, plan }) {
      const key = { runId, taskId: '#plan', attempt: Context.current().info.attempt };
      return storeValue(claims, key, plan);
    },

    async loadPlan({ ref }) {
      return (await loadStored(claims, ref)) as Plan;
    },

    async renderParams({ params, tasks }) {
      return renderTaskTemplates(claims, params, tasks);
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
