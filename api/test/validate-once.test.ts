/** A saved document is validated once per request, however large (a 30 KB job here). */
import * as engine from '@batchgraph/engine';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startHarness, type Harness } from './harness';

vi.mock('@batchgraph/engine', async (original) => {
  const actual = await original<typeof engine>();
  // compileJob validates too, so both count.
  return {
    ...actual,
    validateJob: vi.fn(actual.validateJob),
    compileJob: vi.fn(actual.compileJob),
  };
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness('validate_once');
});
afterAll(async () => h?.stop());

/** A job of about 30 KB: 150 http tasks in a chain, each with headers and a body. */
function bigJob(name: string): Record<string, unknown> {
  const tasks = Array.from({ length: 150 }, (_, i) => ({
    id: `t${i}`,
    type: 'http',
    params: {
      url: `https://api.example.com/items/${i}?page={{ input.page }}`,
      method: 'POST',
      headers: { 'X-Trace': `trace-${i}` },
      body: { index: i, note: 'a realistic payload of a few words' },
    },
  }));
  const edges = tasks.slice(1).map((task, i) => ({ from: `t${i}`, to: task.id, on: 'success' }));
  return { formatVersion: 1, name, inputs: [{ name: 'page', type: 'integer' }], tasks, edges };
}

describe('validation per request', () => {
  test('creating and saving a 30 KB job validates the document once each', async () => {
    const validations = (): number =>
      vi.mocked(engine.validateJob).mock.calls.length +
      vi.mocked(engine.compileJob).mock.calls.length;
    const clear = (): void => {
      vi.mocked(engine.validateJob).mockClear();
      vi.mocked(engine.compileJob).mockClear();
    };
    const document = bigJob('Thirty kilobytes');
    expect(JSON.stringify(document).length).toBeGreaterThan(30_000);
    clear();
    const created = await h.api('POST', '/api/jobs', { body: document });
    expect(created.status).toBe(201);
    expect(validations()).toBe(1);
    clear();
    const saved = await h.api('PUT', `/api/jobs/${created.body.id}`, {
      body: { baseVersion: 1, document: { ...document, description: 'again' } },
    });
    expect(saved.status).toBe(200);
    expect(validations()).toBe(1);
  });
});
