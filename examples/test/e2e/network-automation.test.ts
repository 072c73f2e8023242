// The stand-ins listen on free ports here: jobFor() rewrites the job file's stand-in origins
// (http://127.0.0.1:4014) to theirs before the job is imported through the API.
import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/network';
import { jobFor } from '../support/jobs';
import { adminApi, stack, standinState } from './context';

const QUARTER_HOUR_MS = 15 * 60 * 1000;

describe('network-automation example', () => {
  it('is created paused, shows its next run once resumed, and pushes the payload by hand', async () => {
    const api = adminApi();
    const document = jobFor('network-automation.json', stack().standins);
    const jobId = await api.importJob(document);

    const paused = await api.jobSummary(jobId);
    expect(paused.schedule).toMatchObject({ kind: 'interval', paused: true });

    await api.post(`/api/jobs/${jobId}/schedule/resume`, { note: 'maintenance window open' });
    const resumed = await api.jobSummary(jobId);
    expect(resumed.schedule?.paused).toBe(false);
    const nextRunAt = Date.parse(resumed.schedule?.nextRunAt ?? '');
    expect(Number.isNaN(nextRunAt)).toBe(false);
    // The interval starts on a quarter hour, so every run falls on one, at most 15 minutes ahead.
    expect(nextRunAt % QUARTER_HOUR_MS).toBe(0);
    expect(nextRunAt - Date.now()).toBeLessThanOrEqual(QUARTER_HOUR_MS);
    expect(nextRunAt).toBeGreaterThan(Date.now() - 60_000);

    // Paused again so no scheduled run touches the devices while the manual run is checked.
    await api.post(`/api/jobs/${jobId}/schedule/pause`, { note: 'checked by the example test' });

    const input = (document.schedule as { input: { devices: string[]; payload: unknown } }).input;
    const runId = await api.startRun(jobId, input);
    const run = await api.waitForRun(runId);

    expect(run.status, JSON.stringify(run.tasks)).toBe('succeeded');
    expect(run.tasks['push-config']?.progress).toMatchObject({
      total: input.devices.length,
      succeeded: input.devices.length,
      failed: 0,
    });
    const { devices } = await standinState<{ devices: Device[] }>('network');
    for (const device of devices) {
      if (input.devices.includes(device.name)) {
        expect(device.config, device.name).toEqual(input.payload);
      } else {
        expect(device.applied, device.name).toBe(0);
      }
    }
  });
});
