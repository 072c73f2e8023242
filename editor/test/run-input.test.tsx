import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { InputDeclaration } from '@batchgraph/engine';
import { describe, expect, it, vi } from 'vitest';
import { RunInputDialog } from '../src/runs/RunInputDialog';
import { renderInApp } from './harness';

const declarations: InputDeclaration[] = [
  { name: 'devices', type: 'array', required: true, default: ['r1', 'r2'], description: 'Devices' },
  { name: 'retries', type: 'integer', default: 2 },
];

describe('run input form', () => {
  it('starts with the defaults, offers the schedule input, and marks a bad value', async () => {
    const onStart = vi.fn(() => Promise.resolve());
    renderInApp(
      <RunInputDialog
        jobName="net"
        declarations={declarations}
        scheduleInput={{ devices: ['s1'], retries: 5 }}
        onClose={() => {}}
        onStart={onStart}
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Run net' });
    const devices = await screen.findByLabelText(/^devices/);
    expect((devices as HTMLTextAreaElement).value).toContain('"r1"');
    const retries = screen.getByLabelText(/^retries/) as HTMLInputElement;
    expect(retries.value).toBe('2');

    fireEvent.change(retries, { target: { value: '1.5' } });
    expect(await screen.findByText(/must be an integer|whole number/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: /schedule’s input/ }));
    await waitFor(() => expect(retries.value).toBe('5'));
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(onStart).toHaveBeenCalledWith({ devices: ['s1'], retries: 5 });
    expect(dialog).toBeTruthy();
  });
});
