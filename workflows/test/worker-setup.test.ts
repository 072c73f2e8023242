/**
 * The worker's setup from configuration: how it connects to Temporal (mTLS, API key), where it
 * serves metrics, how SDK log metadata is named, and how attempts travel with activity results.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@batchgraph/engine';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { withAttempt } from '../src/activity-interceptors';
import { TemporalSecurityError } from '@batchgraph/engine';
import { connectionOptions } from '../src/connection';
import { batchgraphFields, createLogger } from '../src/logger';
import { runtimeOptions } from '../src/runtime';
import { attemptInDetails, envelope, openEnvelope } from '../src/workflows/activity-headers';

describe('the Temporal connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bg-tls-'));
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');

  it('is plain by default', () => {
    const options = connectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }));
    expect(options).toEqual({ address: 'temporal:7233' });
  });

  it('presents the client certificate and key read from their files', () => {
    const options = connectionOptions(
      loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key }),
    );
    const tls = options.tls as { clientCertPair: { crt: Buffer; key: Buffer } };
    expect(tls.clientCertPair.crt.toString()).toContain('BEGIN CERTIFICATE');
    expect(tls.clientCertPair.key.toString()).toContain('BEGIN PRIVATE KEY');
    expect(options.apiKey).toBeUndefined();
  });

  it('sends an API key over TLS', () => {
    const options = connectionOptions(loadConfig({ TEMPORAL_API_KEY: 'key-123' }));
    expect(options).toMatchObject({ tls: true, apiKey: 'key-123' });
  });

  it('refuses a certificate without its key, and names a file it cannot read', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert })).toThrow(ConfigError);
    const config = loadConfig({
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'missing.crt'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: key,
    });
    expect(() => connectionOptions(config)).toThrow(TemporalSecurityError);
    expect(() => connectionOptions(config)).toThrow(/TEMPORAL_TLS_CLIENT_CERT_PATH/);
  });
});

describe('the metrics endpoint', () => {
  const logger = createLogger({ BATCHGRAPH_LOG_LEVEL: 'error' });

  it('binds where BATCHGRAPH_METRICS_HOST says, 127.0.0.1 unless set', () => {
    const prometheus = (env: Record<string, string>) =>
      runtimeOptions(loadConfig({ BATCHGRAPH_METRICS_PORT: '9464', ...env }), logger)
        .telemetryOptions?.metrics;
    expect(prometheus({})).toMatchObject({ prometheus: { bindAddress: '127.0.0.1:9464' } });
    expect(prometheus({ BATCHGRAPH_METRICS_HOST: '0.0.0.0' })).toMatchObject({
      prometheus: { bindAddress: '0.0.0.0:9464' },
    });
    expect(prometheus({ BATCHGRAPH_METRICS_HOST: '::' })).toMatchObject({
      prometheus: { bindAddress: '[::]:9464' },
    });
    expect(runtimeOptions(loadConfig({}), logger).telemetryOptions?.metrics).toBeUndefined();
  });
});

describe('log metadata', () => {
  it("names an activity's run, task and Temporal run the Batchgraph way", () => {
    expect(
      batchgraphFields({
        workflowId: 'job-j1-20260101T000000Z',
        workflowRunId: 'r-123',
        activityId: 'each#4',
        activityType: 'foreach',
        attempt: 2,
      }),
    ).toEqual({
      workflowId: 'job-j1-20260101T000000Z',
      runId: 'job-j1-20260101T000000Z',
      taskId: 'each',
      temporalRunId: 'r-123',
      activityId: 'each#4',
      activityType: 'foreach',
      attempt: 2,
    });
  });

  it("names a workflow line's Temporal run id temporalRunId, and leaves other lines alone", () => {
    expect(batchgraphFields({ workflowId: 'w', runId: 'r-1', jobId: 'j' })).toEqual({
      workflowId: 'w',
      runId: 'w',
      temporalRunId: 'r-1',
      jobId: 'j',
    });
    expect(batchgraphFields({ taskQueue: 'q' })).toEqual({ taskQueue: 'q' });
    expect(
      batchgraphFields({ workflowId: 'w', activityId: 'notify-run', activityType: 'notifyRun' }),
    ).not.toHaveProperty('taskId');
  });
});

describe('attempts travelling with results', () => {
  it('unwraps an envelope and leaves any other value as it is', () => {
    expect(openEnvelope(envelope({ status: 200 }, 3))).toEqual({
      result: { status: 200 },
      attempt: 3,
    });
    expect(openEnvelope(envelope(undefined, 1))).toEqual({ result: undefined, attempt: 1 });
    for (const bare of [
      null,
      7,
      'text',
      [1],
      { status: 200 },
      { batchgraphAttempt: 2, other: 1 },
    ]) {
      expect(openEnvelope(bare)).toEqual({ result: bare });
    }
    // Through JSON, as Temporal's payload converter carries it.
    expect(openEnvelope(JSON.parse(JSON.stringify(envelope(undefined, 2))))).toEqual({
      result: undefined,
      attempt: 2,
    });
  });

  it('adds the attempt to a final failure, and only to a final one', () => {
    const final = ApplicationFailure.create({
      message: 'GET http://x/ → 404 Not Found',
      type: 'HttpStatus',
      nonRetryable: true,
      details: [{ status: 404 }],
    });
    const reported = withAttempt(final, 2) as ApplicationFailure;
    expect(reported).toMatchObject({
      message: final.message,
      type: 'HttpStatus',
      nonRetryable: true,
    });
    expect(reported.details?.[0]).toEqual({ status: 404 });
    expect(attemptInDetails(reported.details)).toBe(2);
    const passing = ApplicationFailure.retryable('503', 'HttpStatus');
    expect(withAttempt(passing, 2)).toBe(passing);
    expect(attemptInDetails(final.details)).toBeUndefined();
  });
});
