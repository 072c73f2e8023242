/** Starting runs: one `runPlan` workflow per run, with readable ids and search attributes. */
import { runWorkflowId, WORKFLOW_TYPE, type Identity, type RunInput } from '@batchgraph/engine';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import type { Metrics } from '../metrics';
import { runSearchAttributes, type Temporal } from '../temporal';
import { signedIdentity } from './identity';

/**
 * The caller's part of the run's input, and the job its id and search attributes name.
 * `startedBy` is the run's identity as runIdentity() decides it; the starter signs it.
 */
export interface StartRun extends Pick<
  RunInput,
  'plan' | 'input' | 'trigger' | 'reuse' | 'retryOf'
> {
  startedBy: Identity;
  jobId: string;
  jobName: string;
  version: number;
}

export class RunStarter {
  constructor(
    private readonly temporal: Temporal,
    private readonly publicUrl: string,
    private readonly metrics: Metrics,
    private readonly secretKey: string | undefined,
  ) {}

  /** Starts the run and returns its id (the workflow id). */
  async start(run: StartRun): Promise<string> {
    const now = new Date();
    for (let attempt = 0; ; attempt++) {
      // Two runs of a job started in the same second need a suffix to keep ids unique.
      const suffix = attempt === 0 ? undefined : randomBytes(3).toString('hex');
      const workflowId = runWorkflowId(run.jobId, now, suffix);
      const input: RunInput = {
        plan: run.plan,
        trigger: run.trigger,
        startedBy: await signedIdentity(this.secretKey, run.startedBy, { workflowId }),
        runUrl: `${this.publicUrl}/runs/${workflowId}`,
      };
      if (run.input !== undefined) input.input = run.input;
      if (run.reuse !== undefined) input.reuse = run.reuse;
      if (run.retryOf !== undefined) input.retryOf = run.retryOf;
      try {
        await this.temporal.client.workflow.start(WORKFLOW_TYPE, {
          workflowId,
          taskQueue: run.plan.taskQueue,
          args: [input],
          typedSearchAttributes: runSearchAttributes(run),
        });
        this.metrics.runsStarted.inc({ job_id: run.jobId, trigger: run.trigger });
        return workflowId;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError) || attempt >= 3) throw error;
      }
    }
  }
}
