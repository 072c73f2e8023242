/** Bad input is a 4xx, never a 500: deep JSON anywhere, and backfill ranges out of bounds. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jobDocument, startHarness, type Harness } from './harness';

let h: Harness;
let scheduled: string;
beforeAll(async () => {
  h = await startHarness('bad_input');
  scheduled = (
    await h.api('POST', '/api/jobs', {
      body: jobDocument('Backfilled', { schedule: { cron: '0 4 * * *' } }),
    })
  ).body.id;
});
afterAll(async () => h?.stop());

/** `{"a":{"a":…}}` nested `depth` levels, as raw JSON text (no recursion to build it). */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('deep JSON', () => {
  test('a run input nested 10,000 deep is a 400 naming the limit', async () => {
    const response = await h.api('POST', `/api/jobs/${scheduled}/runs`, {
      raw: `{"input":${nested(10_000)}}`,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.message).toContain('more than 64 levels');
  });

  test('a schedule input nested 10,000 deep is a 400 too, as is any deep body', async () => {
    const document = JSON.stringify(jobDocument('Deep schedule')).replace(
      /}$/,
      `,"schedule":{"cron":"0 4 * * *","input":${nested(10_000)}}}`,
    );
    for (const [method, path, raw] of [
      ['POST', '/api/jobs', document],
      ['POST', '/api/validate', document],
      ['PUT', `/api/jobs/${scheduled}?force=true`, `{"document":${document}}`],
      ['POST', `/api/jobs/${scheduled}/schedule/backfill`, nested(10_000)],
    ] as const) {
      const response = await h.api(method, path, { raw });
      expect(response.status, path).toBe(400);
      expect(response.body.error.details[0].code, path).toBe('too_deep');
    }
  });

  test('input within the limit still works', async () => {
    const response = await h.api('POST', '/api/validate', { raw: nested(40) });
    expect(response.status).toBe(200);
  });
});

describe('backfill ranges', () => {
  test('more than the configured maximum (default a year) is a 400 at $.to', async () => {
    const response = await h.api('POST', `/api/jobs/${scheduled}/schedule/backfill`, {
      body: { from: '2024-01-01T00:00:00Z', to: '2025-06-01T00:00:00Z' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('$.to');
    expect(response.body.error.message).toContain('at most 366');
  });

  test('occurrences before 1970 are reported, not dropped', async () => {
    const response = await h.api('POST', `/api/jobs/${scheduled}/schedule/backfill`, {
      body: { from: '1969-12-01T00:00:00Z', to: '1970-01-02T00:00:00Z' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('$.from');
    expect(response.body.error.message).toContain('before 1970');
  });
});
