/**
 * Starting runs: one `runPlan` workflow per run, with readable ids and search attributes. The
 * interpreter always runs on the interpreter queue (BATCHGRAPH_TASK_QUEUE), where workers run
 * workflows; a job's `settings.taskQueue` is only the default queue of its tasks (the plan's).
 */
import {
  runStaticSummary,
  runWorkflowId,
  WORKFLOW_TYPE,
  type Config,
  type Identity,
  type RunInput,
} from '@batchgraph/engine';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { ensurePlanFits, ensureRunInputFits } from '../data-limits';
import type { Metrics } from '../metrics';
import { runSearchAttributes, type Temporal } from '../temporal';
import { signedIdentity } from './identity';

const carried = ['input', 'reuse', 'redrive', 'retryOf', 'retriedBy', 'retryRoot'] as const;

/**
 * The caller's part of the run's input, and the job its id and search attributes name.
 * `startedBy` is the run's identity as runIdentity() decides it; the starter signs it.
 */
export interface StartRun extends Pick<RunInput, 'plan' | 'trigger' | (typeof carried)[number]> {
  startedBy: Identity;
  jobId: string;
  jobName: string;
  version: number;
  /**
   * A workflow id decided by the caller (a retry's): a run that has it already, running or
   * closed, is that run, and no second one starts.
   */
  workflowId?: string;
}

export class RunStarter {
  constructor(
    private readonly temporal: Temporal,
    private readonly publicUrl: string,
    private readonly metrics: Metrics,
    private readonly config: Config,
  ) {}

  /** Starts the run and returns its id (the workflow id); a 413 when plan or input is too big. */
  async start(run: StartRun): Promise<string> {
    ensurePlanFits(run.plan, this.config);
    ensureRunInputFits(run.input, this.config);
    const now = new Date();
    for (let attempt = 0; ; attempt++) {
      // Two runs of a job started in the same second need a suffix to keep ids unique.
      const suffix = attempt === 0 ? undefined : randomBytes(3).toString('hex');
      const workflowId = run.workflowId ?? runWorkflowId(run.jobId, now, suffix);
      const input: RunInput = {
        plan: run.plan,
        trigger: run.trigger,
        startedBy: await signedIdentity(this.config.BATCHGRAPH_SECRET_KEY, run.startedBy, {
          workflowId,
        }),
        runUrl: `${this.publicUrl}/runs/${workflowId}`,
      };
      for (const field of carried) {
        if (run[field] !== undefined) Object.assign(input, { [field]: run[field] });
      }
      try {
        await this.temporal.client.workflow.start(WORKFLOW_TYPE, {
          workflowId,
          taskQueue: this.config.BATCHGRAPH_TASK_QUEUE,
          args: [input],
          typedSearchAttributes: runSearchAttributes(run),
          staticSummary: runStaticSummary({ name: run.jobName, version: run.version }),
          ...(run.workflowId === undefined
            ? {}
            : {
                workflowIdConflictPolicy: 'USE_EXISTING',
                workflowIdReusePolicy: 'REJECT_DUPLICATE',
              }),
        });
        this.metrics.runsStarted.inc({ job_id: run.jobId, trigger: run.trigger });
        return workflowId;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        if (run.workflowId !== undefined) return workflowId;
        if (attempt >= 3) throw error;
      }
    }
  }
}
