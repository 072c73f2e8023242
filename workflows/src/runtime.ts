/** The process-wide Temporal Runtime of a worker: logging, Prometheus metrics, shutdown signals. */
import type { Config } from '@batchgraph/engine';
import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { TemporalPinoLogger, temporalLevel } from './logger';
import { TASK_DURATION_BUCKETS, TASK_DURATION_METRIC } from './workflows/metric-names';

export function runtimeOptions(config: Config, logger: PinoLogger): RuntimeOptions {
  const level = temporalLevel(config.BATCHGRAPH_LOG_LEVEL);
  return {
    logger: new TemporalPinoLogger(logger),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    telemetryOptions: {
      // The SDK core's own logs go through the same JSON logger; it is chatty below WARN.
      logging: { forward: {}, filter: { core: level === 'ERROR' ? 'ERROR' : 'WARN' } },
      ...(config.BATCHGRAPH_METRICS_PORT
        ? {
            metrics: {
              prometheus: {
                bindAddress: bindAddress(
                  config.BATCHGRAPH_METRICS_HOST,
                  config.BATCHGRAPH_METRICS_PORT,
                ),
                histogramBucketOverrides: { [TASK_DURATION_METRIC]: TASK_DURATION_BUCKETS },
              },
            },
          }
        : {}),
    },
  };
}

/** `host:port`, with an IPv6 host in brackets. */
function bindAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Must run once, before the first connection is made. */
export function installRuntime(config: Config, logger: PinoLogger): Runtime {
  return Runtime.install(runtimeOptions(config, logger));
}
