/**
 * Worker and queue health, read from Temporal itself: DescribeTaskQueue lists who polls each task
 * queue (identity, last poll, build id), for workflow and activity tasks. A worker's identity says
 * whether it runs command tasks (engine workerIdentity). `GET /api/workers` shows it all; the run
 * reader asks it whether a task that waits has anyone to pick it up.
 */
import {
  commandsEnabledIn,
  DEFAULT_TASK_QUEUE,
  LIVE_POLLER_MS,
  type Plan,
} from '@batchgraph/engine';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from './auth';
import { SwrCache } from './cache';
import type { Services } from './context';
import type { Database } from './db';
import type { Temporal } from './temporal';
import { parseRequest } from './validation';

/** temporal.api.enums.v1.TaskQueueType: TASK_QUEUE_TYPE_WORKFLOW and TASK_QUEUE_TYPE_ACTIVITY. */
const TASK_QUEUE_TYPE = { workflow: 1, activity: 2 } as const;

export interface Poller {
  identity: string;
  /** What it polls for: the interpreter's workflow tasks, or task attempts (activities). */
  kind: 'workflow' | 'activity';
  lastSeenAt: string;
  buildId?: string;
  /** Whether it runs `command` tasks, when its identity says so. */
  commandsEnabled?: boolean;
  /** Seen within the last LIVE_POLLER_MS: it is still polling. */
  live: boolean;
}

export interface QueueHealth {
  name: string;
  pollers: Poller[];
  /** Live pollers of activity tasks: the workers that would run a task on this queue. */
  activityWorkers: number;
  workflowWorkers: number;
  /** Some live activity worker of this queue runs command tasks. */
  commandsEnabled: boolean;
}

export class WorkerHealth {
  private readonly queues: SwrCache<QueueHealth>;

  constructor(
    private readonly temporal: Temporal,
    onError: (error: unknown) => void,
  ) {
    this.queues = new SwrCache(2000, 10_000, onError);
  }

  queue(name: string): Promise<QueueHealth> {
    return this.queues.get(name, () => this.describe(name));
  }

  private async pollers(name: string, kind: Poller['kind'], now: number): Promise<Poller[]> {
    const response = await this.temporal.connection.workflowService.describeTaskQueue({
      namespace: this.temporal.namespace,
      taskQueue: { name },
      taskQueueType: TASK_QUEUE_TYPE[kind],
    });
    return (response.pollers ?? []).map((poller) => {
      const seen = optionalTsToDate(poller.lastAccessTime) ?? new Date(0);
      const identity = poller.identity ?? '';
      const entry: Poller = {
        identity,
        kind,
        lastSeenAt: seen.toISOString(),
        live: now - seen.getTime() <= LIVE_POLLER_MS,
      };
      const buildId = poller.workerVersionCapabilities?.buildId;
      if (buildId) entry.buildId = buildId;
      const commands = commandsEnabledIn(identity);
      if (commands !== undefined) entry.commandsEnabled = commands;
      return entry;
    });
  }

  private async describe(name: string): Promise<QueueHealth> {
    const now = Date.now();
    const [workflow, activity] = await Promise.all([
      this.pollers(name, 'workflow', now),
      this.pollers(name, 'activity', now),
    ]);
    const liveActivity = activity.filter((poller) => poller.live);
    return {
      name,
      pollers: [...workflow, ...activity],
      workflowWorkers: workflow.filter((poller) => poller.live).length,
      activityWorkers: liveActivity.length,
      commandsEnabled: liveActivity.some((poller) => poller.commandsEnabled === true),
    };
  }
}

/** The queues the saved jobs' current versions use, besides the default one. */
async function queuesInUse(database: Database, defaultQueue: string): Promise<string[]> {
  const queues = new Set([defaultQueue]);
  const jobs = await database.jobs
    .find({}, { projection: { _id: 1, currentVersion: 1 } })
    .limit(1000)
    .toArray();
  const versions = await database.versions
    .find(
      { $or: jobs.map((job) => ({ jobId: job._id, version: job.currentVersion })) },
      { projection: { plan: 1 } },
    )
    .toArray()
    .catch(() => []);
  for (const version of jobs.length > 0 ? versions : []) {
    const plan = JSON.parse(version.plan) as Plan;
    queues.add(plan.taskQueue);
    for (const task of plan.tasks) queues.add(task.taskQueue);
  }
  return [...queues].sort();
}

export const workersQuerySchema = z.object({
  queue: z
    .string()
    .regex(/^[A-Za-z0-9_.,-]{1,2000}$/, 'must be task queue names separated by commas')
    .optional()
    .meta({ description: 'Comma-separated queues; default every queue the saved jobs use.' }),
});

export function workerRoutes(services: Services): Router {
  const router = Router();
  router.get('/workers', requireRole('viewer'), async (req, res) => {
    const query = parseRequest(workersQuerySchema, req.query, 'query');
    const defaultQueue = services.config.BATCHGRAPH_TASK_QUEUE || DEFAULT_TASK_QUEUE;
    const names = query.queue
      ? [...new Set(query.queue.split(',').filter(Boolean))]
      : await queuesInUse(services.database, defaultQueue);
    const queues = await Promise.all(names.map((name) => services.workers.queue(name)));
    res.json({ defaultQueue, queues });
  });
  return router;
}
