// The stand-ins listen on free ports here: jobFor() rewrites the job file's stand-in origins
// (http://127.0.0.1:4012 …) to theirs before the job is imported through the API.
import { describe, expect, it } from 'vitest';
import type { CatalogRecord } from '../../src/catalog';
import { jobFor } from '../support/jobs';
import { adminApi, messagesTo, stack, standinState } from './context';

describe('catalog-maintenance example', () => {
  it('tags every search hit and e-mails the summary', async () => {
    const api = adminApi();
    const jobId = await api.importJob(jobFor('catalog-maintenance.json', stack().standins));

    const runId = await api.startRun(jobId);
    const run = await api.waitForRun(runId);

    expect(run.status, JSON.stringify(run.tasks)).toBe('succeeded');
    expect(run.tasks.search?.state).toBe('succeeded');
    expect(run.tasks['tag-hits']).toMatchObject({
      state: 'succeeded',
      progress: { total: 4, succeeded: 4, failed: 0 },
    });
    expect(run.tasks.summary?.state).toBe('succeeded');

    const { records } = await standinState<{ records: CatalogRecord[] }>('catalog');
    const hits = records.filter((record) => /spring campaign/i.test(record.title));
    const others = records.filter((record) => !/spring campaign/i.test(record.title));
    expect(hits).toHaveLength(4);
    for (const record of hits) expect(record.tags).toEqual(['campaign-2025']);
    for (const record of others) expect(record.tags).toEqual(['archive-candidate']);

    const summaries = (await messagesTo('dam-librarians@example.com')).filter((message) =>
      message.text.includes(runId),
    );
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.subject).toBe('Catalog maintenance: tagging succeeded');
    expect(summaries[0]?.text).toContain('found 4 records');
  });
});
