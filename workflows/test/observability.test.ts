/**
 * Observability of the real worker process (`tsx src/worker.ts`): JSON log lines carry the job,
 * run and task ids; /metrics serves the job-level metrics next to Temporal's; OpenTelemetry
 * tracing with no collector to send to leaves runs unharmed.
 */
import type { Config } from '@batchgraph/engine';
import getPort from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildWorker, type ChildWorker } from './support/child-worker';
import { useTestEnvironment } from './support/environment';
import { planOf, resultOf, startRun, uniqueName } from './support/harness';
import { httpTask, job } from './support/jobs';

const children: ChildWorker[] = [];

const env = useTestEnvironment('observability', { workers: 'none' });

afterAll(() => {
  for (const child of children) child.process.kill('SIGKILL');
});

async function stop(child: ChildWorker): Promise<number | null> {
  child.process.kill('SIGTERM');
  return child.exited;
}

function observedJob(jobName: string, config: Config) {
  const url = (path: string): string => env.standIn.url(`/t/${jobName}/${path}`);
  return planOf(
    job(
      jobName,
      [
        httpTask('fetch', url('fetch?fail=1'), {
          retries: 2,
          retryBackoff: { initialSeconds: 0.1, coefficient: 1 },
        }),
        {
          id: 'each',
          type: 'foreach',
          params: { items: [1, 2, 3], task: { type: 'http', params: { url: url('item') } } },
        },
        { id: 'pause', type: 'delay', params: { seconds: 0.2 } },
      ],
      [
        ['fetch', 'each'],
        ['each', 'pause'],
      ],
    ),
    config.BATCHGRAPH_TASK_QUEUE,
    { jobId: `${jobName}-id` },
  );
}

/** Metric lines of one Prometheus text exposition whose name starts with `name`. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(name));
}

async function scrape(port: number, until: (text: string) => boolean): Promise<string> {
  for (let tries = 0; ; tries++) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (until(text) || tries === 100) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the worker process', () => {
  it('logs JSON with job, run and task ids, and serves job metrics on /metrics', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    const child = await startChildWorker(env.harness.config, {
      BATCHGRAPH_LOG_LEVEL: 'debug',
      BATCHGRAPH_METRICS_HOST: '127.0.0.1',
      BATCHGRAPH_METRICS_PORT: String(port),
    });
    children.push(child);
    const plan = observedJob('observed', env.harness.config);
    const handle = await startRun(env.harness.client, plan);
    const result = await resultOf(handle);
    expect(result.status).toBe('succeeded');

    const metrics = await scrape(port, (text) =>
      text.includes('batchgraph_worker_runs_ended_total{'),
    );
    const jobId = 'job_id="observed-id"';
    const started = samples(metrics, 'batchgraph_worker_runs_started_total{');
    expect(
      started.some(
        (line) => line.includes(jobId) && line.includes('trigger="manual"') && line.endsWith(' 1'),
      ),
    ).toBe(true);
    const ended = samples(metrics, 'batchgraph_worker_runs_ended_total{');
    expect(ended.some((line) => line.includes(jobId) && line.includes('status="succeeded"'))).toBe(
      true,
    );
    for (const type of ['http', 'foreach', 'delay']) {
      const counts = samples(metrics, 'batchgraph_task_duration_seconds_count{').filter(
        (line) => line.includes(`task_type="${type}"`) && line.includes(jobId),
      );
      expect(counts, type).toHaveLength(1);
      expect(counts[0], type).toMatch(/ 1$/);
    }
    const items = samples(metrics, 'batchgraph_foreach_items_total{').filter(
      (line) => line.includes(jobId) && line.includes('outcome="succeeded"'),
    );
    expect(items.map((line) => line.split(' ').pop())).toEqual(['3']);
    // Temporal's own metrics are on the same endpoint.
    expect(metrics).toContain('temporal_activity_execution_latency');

    expect(await stop(child)).toBe(0);
    const about = child.logs().filter((line) => line.runId === handle.workflowId);
    const activityLines = about.filter((line) => line.activityId !== undefined);
    const workflowLines = about.filter((line) => line.activityId === undefined);
    expect(workflowLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['Workflow started', 'Workflow completed']),
    );
    expect(activityLines.length).toBeGreaterThan(4);
    for (const line of about) {
      expect(line).toMatchObject({ workflowId: handle.workflowId, service: 'batchgraph-worker' });
      expect(line.temporalRunId).toEqual(expect.any(String));
      // The SDK writes "Activity started" before any interceptor has read the job id header.
      if (line.msg !== 'Activity started') expect(line.jobId, String(line.msg)).toBe('observed-id');
    }
    for (const line of activityLines) expect(['fetch', 'each']).toContain(line.taskId);
    // The failed first attempt of `fetch` is logged as a warning, with its task and attempt.
    expect(activityLines).toContainEqual(
      expect.objectContaining({ msg: 'Activity failed', taskId: 'fetch', attempt: 1, level: 40 }),
    );
  });

  it('runs with OpenTelemetry tracing on and no collector to export to', async () => {
    const config: Config = { ...env.harness.config, BATCHGRAPH_TASK_QUEUE: uniqueName('wf-otel') };
    const child = await startChildWorker(config, {
      BATCHGRAPH_OTEL_ENABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await getPort({ host: '127.0.0.1' })}`,
    });
    children.push(child);
    expect(child.logs()).toContainEqual(
      expect.objectContaining({ msg: 'worker started', tracing: true }),
    );
    const result = await resultOf(
      await startRun(env.harness.client, observedJob('traced', config)),
    );

    expect(result.status).toBe('succeeded');
    expect(result.tasks.fetch).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(await stop(child)).toBe(0);
  });
});
