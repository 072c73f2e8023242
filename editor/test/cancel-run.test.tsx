import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CancelRunButton } from '../src/runs/CancelRunButton';
import { renderInApp } from './harness';

describe('cancelling a run', () => {
  it('asks first, says what stops, and cancels only when confirmed', async () => {
    const user = userEvent.setup();
    const onCancel = vi.fn(async () => {});
    renderInApp(<CancelRunButton runId="job-j1-20261201" runningTasks={2} onCancel={onCancel} />);

    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel this run?' });
    expect(dialog.textContent).toMatch(/2 running tasks are cancelled/);
    await user.click(screen.getByRole('button', { name: 'Keep running' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(onCancel).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Cancel run' }));
    const confirm = await screen.findByRole('dialog', { name: 'Cancel this run?' });
    await user.click(
      [...confirm.querySelectorAll('button')].find((b) => b.textContent === 'Cancel run')!,
    );
    await waitFor(() => expect(onCancel).toHaveBeenCalledTimes(1));
  });
});
