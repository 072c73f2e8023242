/**
 * OpenTelemetry tracing of runs (BATCHGRAPH_OTEL_ENABLED): Temporal's OpenTelemetry interceptors
 * on workflows and activities, spans exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT
 * (default http://localhost:4318). An unreachable collector loses spans, never runs.
 */
import { fileURLToPath } from 'node:url';
import type { Config } from '@batchgraph/engine';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';

/** The workflow interceptor module to bundle when tracing is on. */
export const otelWorkflowInterceptorModule = fileURLToPath(
  new URL('./workflows/otel-interceptors.ts', import.meta.url),
);

export interface Tracing {
  activityInterceptors: ActivityInterceptorsFactory;
  workflowModules: string[];
  /** The sink through which workflow code hands its spans to the exporter. */
  sinks: NonNullable<WorkerOptions['sinks']>;
  /** Flushes the spans still buffered. */
  shutdown(): Promise<void>;
}

/** OTLP's traces path under the base endpoint, as the OpenTelemetry spec defines it. */
function tracesUrl(endpoint: string): string {
  return new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}

export function startTracing(config: Config): Tracing | undefined {
  if (!config.BATCHGRAPH_OTEL_ENABLED) return undefined;
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporter = new OTLPTraceExporter(endpoint ? { url: tracesUrl(endpoint) } : {});
  const processor = new BatchSpanProcessor(exporter);
  const resource = new Resource({ 'service.name': 'batchgraph-worker' });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // The global provider and W3C propagator, which the interceptors use to read trace headers.
  provider.register();
  return {
    activityInterceptors: (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
    workflowModules: [otelWorkflowInterceptorModule],
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    shutdown: () => provider.shutdown(),
  };
}
