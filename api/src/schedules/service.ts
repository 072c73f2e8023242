/**
 * A job's Temporal Schedule (id `job-<jobId>`): created or updated when the job is saved,
 * deleted with it, and read back from Temporal's describe() so that state changed elsewhere
 * (the `temporal` CLI, Temporal UI) is what the API shows and keeps.
 */
import {
  scheduleId,
  WORKFLOW_TYPE,
  resolveRunInput,
  runStaticSummary,
  type Identity,
  type InputDeclaration,
  type Plan,
  type RunInput,
  type Schedule,
} from '@batchgraph/engine';
import {
  ScheduleNotFoundError,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleOverlapPolicy,
  type ScheduleUpdateOptions,
  type Workflow,
} from '@temporalio/client';
import { SwrCache } from '../cache';
import { notFound } from '../errors';
import { runSearchAttributes, type Temporal } from '../temporal';
import { runIdentity, signedIdentity } from '../runs/identity';
import { describeSpec, temporalPolicies, temporalSpec } from './spec';

export interface ScheduledJob {
  id: string;
  name: string;
  version: number;
  owner: Identity;
  plan: Plan;
  schedule: Schedule;
  /** The job's declared inputs, whose defaults complete the schedule's input. */
  inputs?: InputDeclaration[];
}

export interface ScheduleView {
  spec: Schedule;
  description: string;
  timezone: string;
  nextRuns: string[];
  paused: boolean;
  note?: string;
  overlap: string;
  remainingActions?: number;
  recentActions: { scheduledAt: string; takenAt: string; runId: string }[];
  runningRuns: string[];
}

/** What the job list shows of a schedule's live state. */
export interface ScheduleState {
  paused: boolean;
  note?: string;
  nextRunAt?: string;
}

export type OverlapOverride = Schedule['overlap'];

export const toTemporalOverlap = (overlap: OverlapOverride): ScheduleOverlapPolicy =>
  overlap.toUpperCase() as ScheduleOverlapPolicy;

export class ScheduleService {
  private readonly states: SwrCache<ScheduleState | null>;

  constructor(
    private readonly temporal: Temporal,
    /** Where the interpreter runs (BATCHGRAPH_TASK_QUEUE); the plan's queue is its tasks' default. */
    private readonly interpreterQueue: string,
    private readonly publicUrl: string,
    private readonly secretKey: string | undefined,
    onError: (error: unknown) => void,
  ) {
    this.states = new SwrCache(3000, 60_000, onError);
  }

  private handle(jobId: string): ScheduleHandle {
    return this.temporal.client.schedule.getHandle(scheduleId(jobId));
  }

  private async action(job: ScheduledJob): Promise<ScheduleOptionsStartWorkflowAction<Workflow>> {
    const owner = runIdentity({ trigger: 'schedule', owner: job.owner });
    const input: RunInput = {
      plan: job.plan,
      trigger: 'schedule',
      startedBy: await signedIdentity(this.secretKey, owner, { scheduleOf: job.id }),
      runUrl: `${this.publicUrl}/runs/{{ run.id }}`,
    };
    // Validation checked the schedule's input against the declarations when the job was saved.
    const scheduled = resolveRunInput(job.inputs, job.schedule.input);
    if (scheduled.ok && Object.keys(scheduled.input).length > 0) input.input = scheduled.input;
    return {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPE,
      workflowId: scheduleId(job.id),
      taskQueue: this.interpreterQueue,
      args: [input],
      staticSummary: runStaticSummary(job),
      typedSearchAttributes: runSearchAttributes({
        jobId: job.id,
        jobName: job.name,
        version: job.version,
        trigger: 'schedule',
      }),
    };
  }

  /**
   * Creates the schedule (paused unless `enabled`), or updates it keeping its live state: once
   * the schedule exists only pause and resume change whether it runs, so saving a job never
   * lifts an administrator's pause. `maxRuns` applies when this save changed it.
   */
  async save(job: ScheduledJob, previous: Pick<Schedule, 'maxRuns'> | undefined): Promise<void> {
    const spec = temporalSpec(job.schedule);
    const policies = temporalPolicies(job.schedule);
    const action = await this.action(job);
    try {
      await this.handle(job.id).update((current): ScheduleUpdateOptions => {
        const state: { paused?: boolean; note?: string; remainingActions?: number } = {
          ...current.state,
        };
        if (previous?.maxRuns !== job.schedule.maxRuns) {
          state.remainingActions = job.schedule.maxRuns;
        }
        return { spec, action, policies, state };
      });
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      await this.temporal.client.schedule.create({
        scheduleId: scheduleId(job.id),
        spec,
        action,
        policies,
        state: {
          paused: !job.schedule.enabled,
          ...(job.schedule.enabled ? {} : { note: 'created paused' }),
          ...(job.schedule.maxRuns !== undefined ? { remainingActions: job.schedule.maxRuns } : {}),
        },
      });
    }
    this.states.delete(job.id);
  }

  /** Deletes the schedule if there is one. */
  async remove(jobId: string): Promise<void> {
    try {
      await this.handle(jobId).delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
    this.states.delete(jobId);
  }

  private async describe(jobId: string): Promise<ScheduleDescription> {
    try {
      return await this.handle(jobId).describe();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) {
        throw notFound(`A schedule for job '${jobId}'`);
      }
      throw error;
    }
  }

  async view(jobId: string, schedule: Schedule): Promise<ScheduleView> {
    const description = await this.describe(jobId);
    this.states.set(jobId, stateOf(description));
    const view: ScheduleView = {
      spec: schedule,
      description: describeSpec(schedule),
      timezone: schedule.timezone,
      // Temporal's own list: it knows pauses, run limits and end times.
      nextRuns: description.info.nextActionTimes.slice(0, 10).map((at) => at.toISOString()),
      paused: description.state.paused,
      overlap: (description.policies.overlap ?? 'SKIP').toLowerCase(),
      recentActions: description.info.recentActions.map((action) => ({
        scheduledAt: action.scheduledAt.toISOString(),
        takenAt: action.takenAt.toISOString(),
        runId: action.action.workflow.workflowId,
      })),
      runningRuns: description.info.runningActions.map((action) => action.workflow.workflowId),
    };
    if (description.state.note) view.note = description.state.note;
    if (description.state.remainingActions !== undefined) {
      view.remainingActions = description.state.remainingActions;
    }
    return view;
  }

  async pause(jobId: string, note: string): Promise<void> {
    await this.describe(jobId);
    await this.handle(jobId).pause(note);
    this.states.delete(jobId);
  }

  async resume(jobId: string, note: string | undefined): Promise<void> {
    await this.describe(jobId);
    await this.handle(jobId).unpause(note);
    this.states.delete(jobId);
  }

  async trigger(jobId: string, overlap: OverlapOverride | undefined): Promise<void> {
    await this.describe(jobId);
    await this.handle(jobId).trigger(
      overlap === undefined ? undefined : toTemporalOverlap(overlap),
    );
  }

  async backfill(
    jobId: string,
    from: Date,
    to: Date,
    overlap: OverlapOverride | undefined,
  ): Promise<void> {
    await this.describe(jobId);
    await this.handle(jobId).backfill({
      start: from,
      end: to,
      ...(overlap === undefined ? {} : { overlap: toTemporalOverlap(overlap) }),
    });
  }

  /** Live state for the job list, cached briefly; null when Temporal has no such schedule. */
  async state(jobId: string): Promise<ScheduleState | null> {
    return this.states.get(jobId, async () => {
      try {
        return stateOf(await this.handle(jobId).describe());
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return null;
        throw error;
      }
    });
  }
}

function stateOf(description: ScheduleDescription): ScheduleState {
  const state: ScheduleState = { paused: description.state.paused };
  if (description.state.note) state.note = description.state.note;
  const next = description.info.nextActionTimes[0];
  if (next !== undefined) state.nextRunAt = next.toISOString();
  return state;
}
