/** What the routes share: configuration, stores, Temporal, and the services built on them. */
import type { Config, OutputStore, Plan, RunSummary } from '@batchgraph/engine';
import { MongoOutputStore } from '@batchgraph/activities/output-store';
import type { Logger } from 'pino';
import { auditRecorder, type AuditRecorder } from './audit';
import { KeyCache } from './auth';
import { SwrCache } from './cache';
import type { Database } from './db';
import { JobsRepository } from './jobs/repository';
import { createMetrics, type Metrics } from './metrics';
import { RunReader } from './runs/reader';
import { RunRetrier } from './runs/retry';
import { RunStarter } from './runs/starter';
import { ScheduleService } from './schedules/service';
import type { Temporal } from './temporal';
import { WorkerHealth } from './workers';

export interface AppDeps {
  config: Config;
  database: Database;
  temporal: Temporal;
  logger: Logger;
  metrics?: Metrics;
}

export interface Services {
  config: Config;
  database: Database;
  temporal: Temporal;
  logger: Logger;
  metrics: Metrics;
  keys: KeyCache;
  audit: AuditRecorder;
  jobs: JobsRepository;
  schedules: ScheduleService;
  runs: RunReader;
  starter: RunStarter;
  retrier: RunRetrier;
  /** Task outputs, as the activities stored them. */
  outputs: OutputStore;
  workers: WorkerHealth;
  /** Each job's latest run for the job list, briefly cached (null: no run yet). */
  lastRuns: SwrCache<RunSummary | null>;
}

export function createServices(deps: AppDeps): Services {
  const onError = (error: unknown): void =>
    deps.logger.warn({ err: error }, 'background refresh failed');
  const metrics = deps.metrics ?? createMetrics();
  const outputs = new MongoOutputStore(deps.database.db);
  const publicUrl = deps.config.BATCHGRAPH_PUBLIC_URL.replace(/\/$/, '');
  const workers = new WorkerHealth(deps.temporal, onError);
  const jobs = new JobsRepository(deps.database, onError);
  const runs = new RunReader(deps.temporal, deps.config.TEMPORAL_UI_URL, onError, outputs, {
    workers,
    queues: (jobId, version) => taskQueues(jobs, jobId, version),
    waitWarnMs: deps.config.BATCHGRAPH_WORKER_WAIT_WARN_SECONDS * 1000,
  });
  const starter = new RunStarter(deps.temporal, publicUrl, metrics, deps.config);
  return {
    ...deps,
    metrics,
    workers,
    keys: new KeyCache(deps.database),
    audit: auditRecorder(deps.database),
    jobs,
    schedules: new ScheduleService(
      deps.temporal,
      deps.config.BATCHGRAPH_TASK_QUEUE,
      publicUrl,
      deps.config.BATCHGRAPH_SECRET_KEY,
      onError,
    ),
    runs,
    starter,
    retrier: new RunRetrier(runs, jobs, starter),
    outputs,
    lastRuns: new SwrCache(3000, 60_000, onError),
  };
}

/** Each task's queue in a version's plan (versions are immutable, so this never goes stale). */
async function taskQueues(
  jobs: JobsRepository,
  jobId: string,
  version: number,
): Promise<Map<string, string>> {
  const plan = JSON.parse((await jobs.version(jobId, version)).plan) as Plan;
  return new Map(plan.tasks.map((task) => [task.id, task.taskQueue]));
}
