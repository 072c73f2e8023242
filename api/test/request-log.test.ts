import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLogger, requestSubject } from '../src/request-log';

describe('request logs', () => {
  const lines: Record<string, unknown>[] = [];
  let url = '';
  let close: () => void = () => undefined;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const app = express();
    app.use(requestLogger(pino(sink)));
    app.get('/api/*rest', (_req, res) => void res.json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('never writes the API key, from the header or the SSE query', async () => {
    await fetch(`${url}/api/jobs/nightly-ab12`, {
      headers: { authorization: 'Bearer bg_secret1' },
    });
    await fetch(`${url}/api/runs/job-x-1/events?access_token=bg_secret2&x=1`);
    await fetch(`${url}/api/runs/job-x-1/events?access%5Ftoken=bg_secret3`);
    await fetch(`${url}/api/runs/job-x-1/events?x=1&ACCESS_TOKEN=bg_secret4#f`);
    const text = JSON.stringify(lines);
    expect(lines).toHaveLength(4);
    expect(text).not.toContain('bg_secret1');
    expect(text).not.toContain('bg_secret2');
    expect(text).not.toContain('bg_secret3');
    expect(text).not.toContain('bg_secret4');
    expect(text).toContain('access_token=[redacted]&x=1');
  });

  it('names the job, run and task a request is about', () => {
    expect(requestSubject('/api/jobs/nightly-ab12/versions/3')).toEqual({ jobId: 'nightly-ab12' });
    expect(requestSubject('/api/runs/job-a-1/tasks/load/log')).toEqual({
      runId: 'job-a-1',
      taskId: 'load',
    });
    expect(requestSubject('/api/jobs/import')).toEqual({});
    expect(requestSubject('/api/health')).toEqual({});
    expect(lines[0]).toMatchObject({ jobId: 'nightly-ab12' });
    expect(lines[1]).toMatchObject({ runId: 'job-x-1' });
  });
});
