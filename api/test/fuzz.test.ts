import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { jobDocument, startHarness, type Harness } from './harness';

let h: Harness;
let jobId: string;
beforeAll(async () => {
  h = await startHarness('fuzz');
  jobId = (
    await h.api('POST', '/api/jobs', {
      body: jobDocument('Fuzz target', { schedule: { cron: '0 0 * * *' } }),
    })
  ).body.id;
});
afterAll(async () => h?.stop());

const templates = [
  '/api/me',
  '/api/jobs',
  '/api/jobs/:id',
  '/api/jobs/:id/versions',
  '/api/jobs/:id/versions/:x',
  '/api/jobs/:id/duplicate',
  '/api/jobs/:id/export',
  '/api/jobs/import',
  '/api/validate',
  '/api/jobs/:id/schedule',
  '/api/jobs/:id/schedule/pause',
  '/api/jobs/:id/schedule/resume',
  '/api/jobs/:id/schedule/trigger',
  '/api/jobs/:id/schedule/backfill',
  '/api/schedules/pause',
  '/api/schedules/resume',
  '/api/jobs/:id/runs',
  '/api/runs',
  '/api/runs/:x',
  '/api/runs/:x/cancel',
  '/api/runs/:x/retry',
  '/api/runs/:x/tasks/:x/log',
  '/api/audit',
  '/api/keys',
  '/api/connections',
  '/api/connections/:x',
  '/api/health',
  '/api/openapi.json',
  '/api/:x',
  '/:x',
];

const segment = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('..', '%', '%00', '%E0%A4%A', '0', '-1', '1e9', 'null', 'job-x', '%2F'),
  fc.constant('JOB'),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  template: fc.constantFrom(...templates),
  segments: fc.array(segment, { minLength: 3, maxLength: 3 }),
  query: fc.option(
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'q',
          'page',
          'pageSize',
          'status',
          'paused',
          'from',
          'to',
          'limit',
          'force',
          'jobId',
          'pageToken',
          'x',
        ),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 4 },
    ),
  ),
  body: fc.oneof(
    fc.constant(undefined),
    fc.json().map((json) => ({ raw: json })),
    fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
    fc.anything({ maxDepth: 3 }).map((value) => ({ raw: JSON.stringify(value) ?? 'undefined' })),
    fc
      .record({
        formatVersion: fc.constant(1),
        name: fc.string(),
        tasks: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
      })
      .map((value) => ({ raw: JSON.stringify(value) })),
    fc
      .record({
        baseVersion: fc.anything({ maxDepth: 1 }),
        document: fc.anything({ maxDepth: 2 }),
        note: fc.anything({ maxDepth: 1 }),
      })
      .map((value) => ({ raw: JSON.stringify(value) })),
  ),
  contentType: fc.constantFrom(
    'application/json',
    'text/plain',
    'application/json; charset=latin1',
    'application/x-www-form-urlencoded',
  ),
  authenticated: fc.boolean(),
});

test('thousands of random requests never answer 5xx', async () => {
  const failures: string[] = [];
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      let i = 0;
      const path = r.template.replace(/:(id|x)/g, (_m, name: string) => {
        const value = r.segments[i++ % 3]!;
        return name === 'id' && value === 'JOB' ? jobId : value;
      });
      const query = r.query
        ? `?${r.query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`
        : '';
      const body = r.method === 'GET' ? undefined : r.body;
      const response = await h.api(r.method, `${path}${query}`, {
        key: r.authenticated ? h.adminKey : null,
        raw: body?.raw,
        headers: body === undefined ? {} : { 'content-type': r.contentType },
      });
      if (response.status >= 500)
        failures.push(
          `${r.method} ${path}${query} → ${response.status} ${JSON.stringify(response.body)}`,
        );
      return response.status < 500;
    }),
    { numRuns: 3000 },
  );
  expect(failures).toEqual([]);
}, 600_000);
