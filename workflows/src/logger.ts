/**
 * Structured JSON logs: one pino logger for the worker process, and an adapter so that Temporal's
 * SDK (workflow and activity context loggers included) writes through it, with Batchgraph's names
 * for what a line is about: `jobId`, `runId` (the workflow id, as everywhere in Batchgraph) and
 * `taskId` (the activity id without a foreach chunk's `#n`).
 */
import type { Config } from '@batchgraph/engine';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { pino, type Logger as PinoLogger } from 'pino';

export function createLogger(config: Pick<Config, 'BATCHGRAPH_LOG_LEVEL'>): PinoLogger {
  return pino({ level: config.BATCHGRAPH_LOG_LEVEL, base: { service: 'batchgraph-worker' } });
}

const pinoLevels = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const satisfies Record<LogLevel, string>;

/** The Temporal level closest to a pino level (Temporal has no `fatal`). */
export function temporalLevel(level: Config['BATCHGRAPH_LOG_LEVEL']): LogLevel {
  return level === 'fatal' ? 'ERROR' : (level.toUpperCase() as LogLevel);
}

/**
 * The SDK's metadata renamed for Batchgraph. Workflow lines name Temporal's run id `runId`, activity
 * lines `workflowRunId`; both become `temporalRunId`, since `runId` is Batchgraph's run (workflow) id.
 */
export function batchgraphFields(meta: LogMetadata): LogMetadata {
  const { workflowId, runId, workflowRunId, activityId } = meta;
  if (typeof workflowId !== 'string') return meta;
  const { runId: _temporalRunId, workflowRunId: _workflowRunId, ...rest } = meta;
  return {
    ...rest,
    runId: workflowId,
    // The run notification is an activity of the run, not of a task.
    ...(typeof activityId === 'string' && meta.activityType !== 'notifyRun'
      ? { taskId: activityId.split('#')[0] }
      : {}),
    temporalRunId: workflowRunId ?? runId,
  };
}

export class TemporalPinoLogger implements Logger {
  constructor(private readonly logger: PinoLogger) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    this.logger[pinoLevels[level]](batchgraphFields(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
