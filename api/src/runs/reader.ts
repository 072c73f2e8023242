/**
 * Runs as Temporal knows them, never copied: lists come from visibility (search attributes),
 * a live run's view from the `runState` query, a closed run's from its result (or, for a failed
 * run, the RunResult carried by its `RunFailed` failure).
 */
import {
  plainIdentity,
  RUN_STATE_QUERY,
  TASK_OUTPUT_QUERY,
  runStatuses,
  runTriggers,
  type OutputStore,
  type Plan,
  type RunInput,
  type RunResult,
  type RunStatus,
  type RunSummary,
  type RunTrigger,
  type RunView,
} from '@batchgraph/engine';
import {
  ApplicationFailure,
  isGrpcServiceError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { defaultPayloadConverter, type TypedSearchAttributes } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { SwrCache } from '../cache';
import { badRequest, notFound } from '../errors';
import { quoted, searchAttributes, type Temporal } from '../temporal';
import type { WorkerHealth } from '../workers';
import { runStatusOf, statusCondition, statusName } from './status';

/** A task (or the run's own start) that has waited too long for a worker of its queue. */
export interface WorkerWait {
  /** The task; absent when the run itself waits for a worker to start its workflow. */
  taskId?: string;
  queue: string;
  since: string;
  /** Workers polling the queue now. */
  workers: number;
  message: string;
}

export type RunDetails = RunView & {
  runId: string;
  temporalUiUrl: string;
  jobId: string;
  version: number;
  /** Set while some task has waited longer than BATCHGRAPH_WORKER_WAIT_WARN_SECONDS for a worker. */
  waiting?: WorkerWait[];
};

/** What the reader needs to tell "waiting for a worker" apart from "running". */
export interface WaitCheck {
  workers: WorkerHealth;
  /** Each task's queue in the plan of this job version. */
  queues: (jobId: string, version: number) => Promise<Map<string, string>>;
  waitWarnMs: number;
}

/**
 * PENDING_ACTIVITY_STATE_SCHEDULED / PENDING_WORKFLOW_TASK_STATE_SCHEDULED: scheduled, not yet
 * picked up by a worker. The client decodes these enums as their names (or, raw, as 1).
 */
function isScheduled(state: unknown): boolean {
  return state === 1 || (typeof state === 'string' && state.endsWith('_STATE_SCHEDULED'));
}

export const runListQuerySchema = z.object({
  jobId: z.string().min(1).optional(),
  status: z.enum(runStatuses).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z
    .string()
    .max(4096)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a page token from a previous page')
    .optional(),
});
export type RunListQuery = z.output<typeof runListQuerySchema>;

function asTrigger(value: string | undefined): RunTrigger {
  return runTriggers.find((trigger) => trigger === value) ?? 'manual';
}

function attributesOf(attributes: TypedSearchAttributes): {
  jobId: string;
  jobName: string;
  version: number;
  trigger: RunTrigger;
} {
  return {
    jobId: attributes.get(searchAttributes.jobId) ?? '',
    jobName: attributes.get(searchAttributes.jobName) ?? '',
    version: attributes.get(searchAttributes.version) ?? 0,
    trigger: asTrigger(attributes.get(searchAttributes.trigger)),
  };
}

export class RunReader {
  /** Views are cached briefly so many watchers of one run cost Temporal one query. */
  private readonly views: SwrCache<RunDetails>;

  constructor(
    private readonly temporal: Temporal,
    private readonly uiUrl: string,
    onError: (error: unknown) => void,
    private readonly outputs: OutputStore,
    private readonly waits?: WaitCheck,
  ) {
    this.views = new SwrCache(250, 2000, onError);
  }

  handle(runId: string): WorkflowHandle {
    return this.temporal.client.workflow.getHandle(runId);
  }

  /**
   * The run in Temporal UI (2.x routes: /namespaces/<ns>/workflows/<workflow id>/<run id>/history);
   * without the Temporal run id the UI takes the next path segment for one and answers 400.
   */
  uiLink(runId: string, temporalRunId: string): string {
    return `${this.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(
      this.temporal.namespace,
    )}/workflows/${encodeURIComponent(runId)}/${encodeURIComponent(temporalRunId)}/history`;
  }

  /**
   * A task in Temporal UI: the event that scheduled its latest attempt (its activity id is the
   * task id; foreach chunks `<task>#<n>`), whose page shows the activity's events. A task that was
   * never scheduled links to the run's pending activities.
   */
  async taskLink(runId: string, taskId: string): Promise<string> {
    const description = await this.describe(runId);
    const run = this.uiLink(runId, description.runId);
    let eventId: string | undefined;
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.temporal.connection.workflowService.getWorkflowExecutionHistory({
        namespace: this.temporal.namespace,
        execution: { workflowId: runId, runId: description.runId },
        maximumPageSize: 1000,
        nextPageToken,
      });
      for (const event of page.history?.events ?? []) {
        const activityId = event.activityTaskScheduledEventAttributes?.activityId;
        if (activityId === taskId || activityId?.startsWith(`${taskId}#`)) {
          eventId = String(event.eventId);
        }
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return eventId === undefined
      ? run.replace(/\/history$/, '/pending-activities')
      : `${run}/events/${eventId}`;
  }

  async list(query: RunListQuery): Promise<{ items: RunSummary[]; nextPageToken?: string }> {
    const conditions = ['BatchgraphJobId IS NOT NULL', "ExecutionStatus != 'ContinuedAsNew'"];
    if (query.jobId !== undefined) conditions.push(`BatchgraphJobId = ${quoted(query.jobId)}`);
    if (query.status !== undefined) conditions.push(statusCondition(query.status));
    if (query.from !== undefined) {
      conditions.push(`StartTime >= ${quoted(new Date(query.from).toISOString())}`);
    }
    if (query.to !== undefined) {
      conditions.push(`StartTime <= ${quoted(new Date(query.to).toISOString())}`);
    }
    const response = await this.temporal.connection.workflowService
      .listWorkflowExecutions({
        namespace: this.temporal.namespace,
        query: conditions.join(' AND '),
        pageSize: query.pageSize,
        nextPageToken:
          query.pageToken === undefined ? undefined : Buffer.from(query.pageToken, 'base64url'),
      })
      .catch((error: unknown) => {
        // Temporal cannot read a token it did not issue (it answers UNKNOWN or INVALID_ARGUMENT).
        const code = isGrpcServiceError(error) ? error.code : undefined;
        if (query.pageToken !== undefined && (code === 2 || code === 3)) {
          throw badRequest('pageToken is not a token from a previous page', [
            { path: '$.pageToken', code: 'invalid_value', message: 'is not a valid page token' },
          ]);
        }
        throw error;
      });
    const items = (response.executions ?? []).map((execution): RunSummary => {
      const attributes = attributesOf(
        decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields),
      );
      const summary: RunSummary = {
        runId: execution.execution?.workflowId ?? '',
        ...attributes,
        status: runStatusOf(statusName(execution.status)),
        startedAt: (optionalTsToDate(execution.startTime) ?? new Date(0)).toISOString(),
      };
      const closed = optionalTsToDate(execution.closeTime);
      if (closed !== undefined) summary.endedAt = closed.toISOString();
      return summary;
    });
    const token = response.nextPageToken;
    return token && token.length > 0
      ? { items, nextPageToken: Buffer.from(token).toString('base64url') }
      : { items };
  }

  /** The most recent run of a job (running ones first, then the latest to close). */
  async latest(jobId: string): Promise<RunSummary | undefined> {
    const { items } = await this.list({ jobId, pageSize: 1 });
    return items[0];
  }

  async describe(runId: string): Promise<WorkflowExecutionDescription> {
    try {
      return await this.handle(runId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound(`Run '${runId}'`);
      throw error;
    }
  }

  /** The run's view; cached for a quarter second (SSE watchers poll every half second). */
  async get(runId: string): Promise<RunDetails> {
    return this.views.get(runId, () => this.load(runId));
  }

  forget(runId: string): void {
    this.views.delete(runId);
  }

  private async load(runId: string): Promise<RunDetails> {
    const description = await this.describe(runId);
    const attributes = attributesOf(description.typedSearchAttributes);
    const status = runStatusOf(description.status.name);
    const view =
      (await this.readView(runId, description.status.name)) ??
      (await this.fallbackView(runId, description, status));
    const details: RunDetails = {
      ...view,
      status,
      jobId: attributes.jobId,
      version: attributes.version,
      runId,
      temporalUiUrl: this.uiLink(runId, description.runId),
    };
    if (status === 'running') {
      const waiting = await this.waiting(description, attributes).catch(() => []);
      if (waiting.length > 0) details.waiting = waiting;
    }
    return details;
  }

  /**
   * Tasks Temporal has scheduled but no worker has picked up for longer than the warning time
   * (and the run's first workflow task, when no interpreter worker takes it).
   */
  private async waiting(
    description: WorkflowExecutionDescription,
    attributes: { jobId: string; version: number },
  ): Promise<WorkerWait[]> {
    const check = this.waits;
    if (!check) return [];
    const before = Date.now() - check.waitWarnMs;
    const waits: { taskId?: string; queue: string; since: Date }[] = [];
    const workflowTask = description.raw.pendingWorkflowTask;
    const taskScheduled = optionalTsToDate(workflowTask?.scheduledTime);
    if (isScheduled(workflowTask?.state) && taskScheduled && taskScheduled.getTime() < before) {
      waits.push({ queue: description.taskQueue, since: taskScheduled });
    }
    const pending = (description.raw.pendingActivities ?? []).filter((activity) => {
      const scheduled = optionalTsToDate(activity.scheduledTime);
      return isScheduled(activity.state) && scheduled && scheduled.getTime() < before;
    });
    if (pending.length > 0) {
      const queues = await check.queues(attributes.jobId, attributes.version);
      for (const activity of pending) {
        // Foreach chunks are `<task>#<n>`: the task is what the run view shows.
        const taskId = (activity.activityId ?? '').replace(/#\d+$/, '');
        const queue = queues.get(taskId);
        const since = optionalTsToDate(activity.scheduledTime);
        if (queue && since && !waits.some((wait) => wait.taskId === taskId)) {
          waits.push({ taskId, queue, since });
        }
      }
    }
    return Promise.all(
      waits.map(async (wait) => {
        const health = await check.workers.queue(wait.queue);
        const workers = wait.taskId === undefined ? health.workflowWorkers : health.activityWorkers;
        const why = workers === 0 ? 'no worker polls it' : `${workers} polling, all busy`;
        return {
          ...wait,
          since: wait.since.toISOString(),
          workers,
          message: `waiting for a worker on queue ${wait.queue} (${why})`,
        };
      }),
    );
  }

  private async readView(runId: string, status: string): Promise<RunView | undefined> {
    const handle = this.handle(runId);
    if (status === 'COMPLETED') return withoutOutputs((await handle.result()) as RunResult);
    if (status === 'FAILED') return withoutOutputs((await this.failedResult(runId)) ?? undefined);
    if (status === 'RUNNING' || status === 'CANCELLED') {
      try {
        return await this.temporal.connection.withDeadline(Date.now() + 5000, () =>
          handle.query<RunView>(RUN_STATE_QUERY),
        );
      } catch {
        // No worker could answer (none running, or the run never got going): fall back below.
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * What the run holds of a task's output (an OutputRef, or a small value): from its result once
   * it has one, else from the live run. Undefined when the task has no output (yet).
   */
  async heldOutput(runId: string, taskId: string): Promise<unknown> {
    const { status } = await this.describe(runId);
    if (status.name === 'COMPLETED') {
      return ((await this.handle(runId).result()) as RunResult).outputs[taskId];
    }
    if (status.name === 'FAILED') {
      const result = await this.failedResult(runId);
      if (result !== undefined) return result.outputs[taskId];
    }
    try {
      return await this.temporal.connection.withDeadline(Date.now() + 5000, () =>
        this.handle(runId).query<unknown, [string]>(TASK_OUTPUT_QUERY, taskId),
      );
    } catch {
      // No worker could answer, or the run is from before outputs could be asked for.
      return undefined;
    }
  }

  /** The RunResult a failed run carries in its RunFailed failure, if it failed that way. */
  async failedResult(runId: string): Promise<RunResult | undefined> {
    try {
      await this.handle(runId).result();
      return undefined;
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) throw error;
      const cause = error.cause;
      if (cause instanceof ApplicationFailure && cause.type === 'RunFailed') {
        return cause.details?.[0] as RunResult | undefined;
      }
      return undefined;
    }
  }

  /**
   * The input of the run's latest execution (the first event of its history), with the whole plan
   * also when that execution got it by reference (RunInput.planRef).
   */
  async input(runId: string): Promise<RunInput> {
    const history = await this.temporal.connection.workflowService.getWorkflowExecutionHistory({
      namespace: this.temporal.namespace,
      execution: { workflowId: runId },
      maximumPageSize: 1,
    });
    const payload =
      history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (!payload) throw notFound(`The input of run '${runId}'`);
    let decoded = payload;
    for (const codec of [...this.temporal.codecs].reverse()) {
      [decoded] = (await codec.decode([decoded])) as [typeof decoded];
    }
    const input = defaultPayloadConverter.fromPayload<RunInput>(decoded);
    if (input.planRef === undefined) return input;
    const plan = await this.outputs.get(input.planRef.outputRef);
    if (plan === undefined) throw notFound(`The stored plan of run '${runId}'`);
    return { ...input, plan: JSON.parse(plan) as Plan };
  }

  /** A view from what Temporal knows without a worker: for runs that ended without a RunResult. */
  private async fallbackView(
    runId: string,
    description: WorkflowExecutionDescription,
    status: RunStatus,
  ): Promise<RunView> {
    const attributes = attributesOf(description.typedSearchAttributes);
    const input = await this.input(runId).catch(() => undefined);
    const view: RunView = {
      status,
      jobId: attributes.jobId,
      jobName: attributes.jobName,
      version: attributes.version,
      trigger: attributes.trigger,
      startedBy: plainIdentity(input?.startedBy ?? { id: 'unknown', name: 'unknown' }),
      startedAt: description.startTime.toISOString(),
      tasks: Object.fromEntries(
        (input?.plan.tasks ?? []).map((task) => [task.id, { state: 'pending', attempts: 0 }]),
      ),
    };
    if (description.closeTime) view.endedAt = description.closeTime.toISOString();
    if (input?.retryOf !== undefined) view.retryOf = input.retryOf;
    if (input?.retriedBy !== undefined) view.retriedBy = input.retriedBy;
    return view;
  }
}

function withoutOutputs(result: RunResult | undefined): RunView | undefined {
  if (result === undefined) return undefined;
  const { outputs: _outputs, ...view } = result;
  return view;
}
