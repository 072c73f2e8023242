/**
 * Runs as Temporal knows them, never copied: lists come from visibility (search attributes),
 * a live run's view from the `runState` query, a closed run's from its result (or, for a failed
 * run, the RunResult carried by its `RunFailed` failure).
 */
import {
  plainIdentity,
  RUN_STATE_QUERY,
  runStatuses,
  runTriggers,
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
import { runStatusOf, statusCondition, statusName } from './status';

export type RunDetails = RunView & {
  runId: string;
  temporalUiUrl: string;
  jobId: string;
  version: number;
};

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
  ) {
    this.views = new SwrCache(250, 2000, onError);
  }

  handle(runId: string): WorkflowHandle {
    return this.temporal.client.workflow.getHandle(runId);
  }

  uiLink(runId: string): string {
    return `${this.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(
      this.temporal.namespace,
    )}/workflows/${encodeURIComponent(runId)}`;
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
    return {
      ...view,
      status,
      jobId: attributes.jobId,
      version: attributes.version,
      runId,
      temporalUiUrl: this.uiLink(runId),
    };
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

  /** The input the run was started with (the first event of its history). */
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
    return defaultPayloadConverter.fromPayload<RunInput>(decoded);
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
    return view;
  }
}

function withoutOutputs(result: RunResult | undefined): RunView | undefined {
  if (result === undefined) return undefined;
  const { outputs: _outputs, ...view } = result;
  return view;
}
