/** The process-wide Temporal Runtime of a worker: logging, Prometheus metrics, shutdown signals. */
import type { Config } from '@batchgraph/engine';
import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { TemporalPinoLogger, temporalLevel } from './logger';

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
              prometheus: { bindAddress: `127.0.0.1:${config.BATCHGRAPH_METRICS_PORT}` },
            },
          }
        : {}),
    },
  };
}

/** Must run once, before the first connection is made. */
export function installRuntime(config: Config, logger: PinoLogger): Runtime {
  return Runtime.install(runtimeOptions(config, logger));
}
