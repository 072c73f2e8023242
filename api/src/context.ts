/** What the routes share: configuration, stores, Temporal, and the services built on them. */
import type { Config, RunSummary } from '@batchgraph/engine';
import type { Logger } from 'pino';
import { auditRecorder, type AuditRecorder } from './audit';
import { KeyCache } from './auth';
import { SwrCache } from './cache';
import type { Database } from './db';
import { JobsRepository } from './jobs/repository';
import { createMetrics, type Metrics } from './metrics';
import { RunReader } from './runs/reader';
import { RunStarter } from './runs/starter';
import { ScheduleService } from './schedules/service';
import type { Temporal } from './temporal';

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
  /** Each job's latest run for the job list, briefly cached (null: no run yet). */
  lastRuns: SwrCache<RunSummary | null>;
}

export function createServices(deps: AppDeps): Services {
  const onError = (error: unknown): void =>
    deps.logger.warn({ err: error }, 'background refresh failed');
  const metrics = deps.metrics ?? createMetrics();
  const publicUrl = deps.config.BATCHGRAPH_PUBLIC_URL.replace(/\/$/, '');
  return {
    ...deps,
    metrics,
    keys: new KeyCache(deps.database),
    audit: auditRecorder(deps.database),
    jobs: new JobsRepository(deps.database, onError),
    schedules: new ScheduleService(
      deps.temporal,
      publicUrl,
      deps.config.BATCHGRAPH_SECRET_KEY,
      onError,
    ),
    runs: new RunReader(deps.temporal, deps.config.TEMPORAL_UI_URL, onError),
    starter: new RunStarter(deps.temporal, publicUrl, metrics, deps.config.BATCHGRAPH_SECRET_KEY),
    lastRuns: new SwrCache(3000, 60_000, onError),
  };
}
