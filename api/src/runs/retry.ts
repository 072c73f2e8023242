/**
 * Retry from failure (DESIGN.md): the plan of a failed run's retry, previewed and started from one
 * place. Which tasks run again is the engine's `retryPlan`; this module finds the inputs (R's
 * input and result, the job's current version) and starts R′ under an id derived from R's, so
 * asking twice returns the same retry.
 */
import {
  retryPlan,
  retryVersions,
  type Identity,
  type Plan,
  type RetryPlan,
  type RetryVersion,
} from '@batchgraph/engine';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { HttpError } from '../errors';
import type { JobsRepository } from '../jobs/repository';
import type { RunReader } from './reader';
import type { RunStarter } from './starter';
import { runIdentity } from './identity';

const versionField = z
  .enum(retryVersions)
  .default('failed')
  .meta({
    description:
      "Which version the retry runs: the failed run's own (default) or the job's current one " +
      '(tasks are then reused only when their id, type and params are unchanged)',
  });

export const retryPlanQuerySchema = z.object({ version: versionField });
export const retryRunSchema = z.strictObject({ version: versionField });

/** The retry of run R always has this id: asking twice finds the same run. */
export function retryRunId(runId: string): string {
  return `${runId}-retry`;
}

export interface RetryPreview {
  /** The run being retried. */
  retryOf: string;
  /** The id the retry has (or will have). */
  runId: string;
  jobId: string;
  versionChoice: RetryVersion;
  version: number;
  rerun: string[];
  reused: string[];
  /** Foreach tasks among `rerun` that run only their items that did not succeed. */
  redriven: string[];
}

interface Prepared {
  preview: RetryPreview;
  jobId: string;
  plan: Plan;
  retry: RetryPlan;
  input: unknown;
  startedBy: Identity;
  retryRoot: string;
}

export class RunRetrier {
  constructor(
    private readonly runs: RunReader,
    private readonly jobs: JobsRepository,
    private readonly starter: RunStarter,
  ) {}

  async preview(runId: string, versionChoice: RetryVersion): Promise<RetryPreview> {
    return (await this.prepare(runId, versionChoice)).preview;
  }

  /**
   * Starts R′ unless it exists. `created` says whether this call started it; the version choice
   * of a later call does not change a retry that exists.
   */
  async retry(
    runId: string,
    versionChoice: RetryVersion,
    retriedBy: Identity,
  ): Promise<{ runId: string; created: boolean; preview?: RetryPreview }> {
    const existing = retryRunId(runId);
    if (await this.exists(existing)) return { runId: existing, created: false };
    const prepared = await this.prepare(runId, versionChoice);
    const created = await this.starter.start({
      workflowId: existing,
      jobId: prepared.jobId,
      jobName: prepared.plan.job.name,
      version: prepared.preview.version,
      plan: prepared.plan,
      input: prepared.input,
      trigger: 'retry',
      // R′ runs with R's identity (its connections); the requester is recorded beside it.
      startedBy: prepared.startedBy,
      retriedBy,
      reuse: prepared.retry.reuse,
      redrive: prepared.retry.redrive,
      retryOf: runId,
      retryRoot: prepared.retryRoot,
    });
    return { runId: created, created: true, preview: prepared.preview };
  }

  private async exists(runId: string): Promise<boolean> {
    try {
      await this.runs.handle(runId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  private async prepare(runId: string, versionChoice: RetryVersion): Promise<Prepared> {
    const description = await this.runs.describe(runId);
    if (description.status.name !== 'FAILED') {
      throw new HttpError(
        409,
        'conflict',
        `Run '${runId}' did not fail; only failed runs can be retried`,
      );
    }
    const result = await this.runs.failedResult(runId);
    if (result === undefined) {
      throw new HttpError(
        409,
        'conflict',
        `Run '${runId}' failed without a run result to retry from`,
      );
    }
    const original = await this.runs.input(runId);
    const jobId = original.plan.job.id ?? result.jobId ?? '';
    let plan = original.plan;
    if (versionChoice === 'current') {
      const job = await this.jobs.get(jobId);
      plan = JSON.parse((await this.jobs.version(jobId, job.currentVersion)).plan) as Plan;
    }
    const retry = retryPlan(
      { plan: original.plan, tasks: result.tasks, outputs: result.outputs },
      plan,
    );
    return {
      preview: {
        retryOf: runId,
        runId: retryRunId(runId),
        jobId,
        versionChoice,
        version: plan.job.version ?? result.version ?? 0,
        rerun: retry.rerun,
        reused: retry.reused,
        redriven: retry.redriven,
      },
      jobId,
      plan,
      retry,
      input: original.input,
      // A retry acts as the run it retries (DESIGN.md); the starter signs it for the new run.
      startedBy: runIdentity({ trigger: 'retry', original: original.startedBy }),
      retryRoot: original.retryRoot ?? runId,
    };
  }
}
