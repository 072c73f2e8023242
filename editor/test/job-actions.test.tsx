import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../src/api/types';
import { useJobActions } from '../src/jobs/useJobActions';
import { renderInApp, sentBodies } from './harness';

const job = (paused: boolean): JobSummary => ({
  id: 'j1',
  name: 'nightly',
  version: 1,
  owner: { id: 'u1', name: 'Ada' },
  updatedAt: '2026-11-30T10:00:00.000Z',
  schedule: { kind: 'cron', description: 'At 02:00', timezone: 'UTC', paused },
});

function Actions({ of }: { of: JobSummary }) {
  const { onAction, dialogs } = useJobActions(() => {});
  return (
    <>
      <button type="button" onClick={() => onAction(of, 'duplicate')}>
        Duplicate it
      </button>
      {dialogs}
    </>
  );
}

const copied = { id: 'j2', name: 'nightly (copy)', version: 1 };
const route = 'POST /jobs/j1/duplicate';

describe('duplicating a job from the jobs list', () => {
  it('asks before copying a running schedule, and the copy starts paused unless chosen', async () => {
    const user = userEvent.setup();
    const { fetch } = renderInApp(<Actions of={job(false)} />, 'analyst', {
      routes: { [route]: copied },
    });
    await user.click(await screen.findByRole('button', { name: 'Duplicate it' }));
    const dialog = await screen.findByRole('dialog', { name: 'Duplicate this job?' });
    expect(dialog.textContent).toMatch(/copy's schedule starts paused/);
    expect(sentBodies(fetch, route)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Duplicate' }));
    await waitFor(() => expect(sentBodies(fetch, route)).toEqual([{ scheduleEnabled: false }]));

    await user.click(screen.getByRole('button', { name: 'Duplicate it' }));
    await user.click(await screen.findByRole('checkbox', { name: /copy's schedule enabled/ }));
    await user.click(screen.getByRole('button', { name: 'Duplicate' }));
    await waitFor(() => expect(sentBodies(fetch, route)).toHaveLength(2));
    expect(sentBodies(fetch, route)[1]).toEqual({ scheduleEnabled: true });
  });

  it('copies a job whose schedule is paused at once, paused', async () => {
    const user = userEvent.setup();
    const { fetch } = renderInApp(<Actions of={job(true)} />, 'analyst', {
      routes: { [route]: copied },
    });
    await user.click(await screen.findByRole('button', { name: 'Duplicate it' }));
    await waitFor(() => expect(sentBodies(fetch, route)).toEqual([{ scheduleEnabled: false }]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
