/** Prometheus metrics of the API: request counts and durations by route, runs started by job. */
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Histogram<'method' | 'route' | 'status'>;
  runsStarted: Counter<'job_id' | 'trigger'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'batchgraph_api_' });
  return {
    registry,
    requests: new Histogram({
      name: 'batchgraph_api_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    runsStarted: new Counter({
      name: 'batchgraph_runs_started_total',
      help: 'Runs started through the API, by job and trigger',
      labelNames: ['job_id', 'trigger'],
      registers: [registry],
    }),
  };
}

/** Times every request; the label is the matched route pattern, so ids do not explode it. */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.requests.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        typeof pattern === 'string'
          ? `${req.baseUrl}${pattern}`
          : res.statusCode === 404
            ? 'unmatched'
            : req.baseUrl || 'other';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

export function metricsHandler(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
