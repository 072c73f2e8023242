import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RetryDialog } from '../src/runs/RetryDialog';
import { renderInApp, reply, sentBodies } from './harness';

const plan = (versionChoice: string, version: number, reused: string[]) => ({
  retryOf: 'r1',
  runId: 'r1-retry',
  jobId: 'j1',
  versionChoice,
  version,
  rerun: ['b', 'cleanup'],
  reused,
  redriven: [],
});

describe('retry dialog', () => {
  it('shows the retry plan of the chosen version and starts that retry', async () => {
    const user = userEvent.setup();
    const onRetried = vi.fn();
    const { fetch } = renderInApp(
      <RetryDialog
        runId="r1"
        version={3}
        open
        onClose={() => {}}
        onRetried={onRetried}
        onError={() => {}}
      />,
      'operator',
      {
        routes: {
          '/runs/r1/retry-plan': () => plan('failed', 3, ['a', 'sibling']),
          'POST /runs/r1/retry': reply(202, { runId: 'r1-retry', created: true }),
        },
      },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Retry from failure' });
    expect(await within(dialog).findByText('a, sibling')).toBeTruthy();
    expect(within(dialog).getByText('b, cleanup')).toBeTruthy();

    await user.click(within(dialog).getByLabelText(/current version/));
    await waitFor(() =>
      expect(fetch.mock.calls.some(([input]) => String(input).includes('version=current'))).toBe(
        true,
      ),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onRetried).toHaveBeenCalledWith('r1-retry'));
    expect(sentBodies(fetch, 'POST /runs/r1/retry')).toEqual([{ version: 'current' }]);
  });
});
