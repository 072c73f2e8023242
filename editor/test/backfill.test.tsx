import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { scheduleSchema } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { BACKFILL_COUNT_LIMIT, checkBackfill } from '../src/schedules/backfill';
import { BackfillDialog } from '../src/schedules/BackfillDialog';
import type { SavedSchedule } from '../src/schedules/useSavedSchedule';
import { renderInApp, reply, sentBodies } from './harness';

function saved(document: unknown): SavedSchedule {
  return { jobId: 'j1', jobName: 'nightly', schedule: scheduleSchema.parse(document), document };
}
const hourlyTokyo = saved({ cron: '0 * * * *', timezone: 'Asia/Tokyo' });
const backfillRoute = 'POST /jobs/j1/schedule/backfill';

function setRange(from: string, to: string) {
  fireEvent.change(screen.getByLabelText('From'), { target: { value: from } });
  fireEvent.change(screen.getByLabelText('To'), { target: { value: to } });
}
const startButton = () => screen.getByRole('button', { name: 'Start backfill' });

describe('backfill range check', () => {
  it('reads the range on the schedule’s clock and counts both ends', () => {
    const check = checkBackfill(
      hourlyTokyo.schedule,
      '2024-01-01T00:00',
      '2024-01-01T05:00',
      Date.now(),
    );
    expect(check.request).toEqual({
      from: '2024-01-01T00:00:00+09:00',
      to: '2024-01-01T05:00:00+09:00',
    });
    expect(Date.parse(check.request!.from)).toBe(Date.UTC(2023, 11, 31, 15, 0));
    expect(check.runs).toMatchObject({ count: 6, more: false });
  });

  it('refuses a time the clocks skip and warns about a range of many runs', () => {
    const berlin = saved({ cron: '* * * * *', timezone: 'Europe/Berlin' }).schedule;
    const gap = checkBackfill(berlin, '2024-03-31T02:30', '2024-03-31T04:00', Date.now());
    expect(gap.from[0]?.message).toMatch(/does not exist in Europe\/Berlin/);
    expect(gap.request).toBeUndefined();

    const year = checkBackfill(berlin, '2023-01-01T00:00', '2024-01-01T00:00', Date.now());
    expect(year.runs).toMatchObject({ count: BACKFILL_COUNT_LIMIT, more: true });
    expect(year.warning).toMatch(/more than 1000 runs/);
    expect(year.request).toBeDefined();
  });
});

describe('backfill dialog', () => {
  it('sends the range typed in the schedule’s zone as the right instants', async () => {
    const user = userEvent.setup();
    const { fetch } = renderInApp(
      <BackfillDialog saved={hourlyTokyo} onClose={() => {}} />,
      'operator',
      {
        routes: { [backfillRoute]: reply(202, { ok: true }) },
      },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Backfill nightly' });
    // The zone is named next to both fields.
    expect(within(dialog).getAllByText('Asia/Tokyo (UTC+09:00)')).toHaveLength(2);

    setRange('2024-01-01T00:00', '2024-01-01T05:00');
    expect(within(dialog).getByText(/Would start/).textContent).toMatch(
      /Would start 6 runs: 2024-01-01 … 2024-01-01 05:00 \(Asia\/Tokyo\)/,
    );
    await user.selectOptions(screen.getByLabelText('When a run is still going'), 'allow_all');
    await user.click(startButton());

    await waitFor(() => expect(sentBodies(fetch, backfillRoute)).toHaveLength(1));
    const [body] = sentBodies(fetch, backfillRoute) as { from: string; to: string }[];
    expect(body).toEqual({
      from: '2024-01-01T00:00:00+09:00',
      to: '2024-01-01T05:00:00+09:00',
      overlap: 'allow_all',
    });
    expect(Date.parse(body!.to)).toBe(Date.UTC(2023, 11, 31, 20, 0));
    expect(await screen.findByText('Backfill of nightly started: 6 runs')).toBeTruthy();
  });

  it('explains an inverted range, a range in the future and an empty one in place', async () => {
    renderInApp(<BackfillDialog saved={hourlyTokyo} onClose={() => {}} />, 'operator');
    await screen.findByRole('dialog', { name: 'Backfill nightly' });

    setRange('2024-01-02T00:00', '2024-01-01T00:00');
    expect(screen.getByText('must be after From')).toBeTruthy();
    expect(screen.getByLabelText('To').getAttribute('aria-invalid')).toBe('true');
    expect((startButton() as HTMLButtonElement).disabled).toBe(true);

    setRange('2024-01-01T00:00', '2999-01-01T00:00');
    expect(screen.getByText(/is later than now/)).toBeTruthy();
    expect((startButton() as HTMLButtonElement).disabled).toBe(true);

    setRange('2024-01-01T00:10', '2024-01-01T00:50');
    expect(screen.getByText('The schedule starts no run in this range.')).toBeTruthy();
    expect((startButton() as HTMLButtonElement).disabled).toBe(true);

    setRange('2024-01-01T00:00', '2024-03-01T00:00');
    expect(screen.getByText(/That is more than 1000 runs/)).toBeTruthy();
    expect((startButton() as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows the API’s refusal in the dialog and as a toast', async () => {
    const user = userEvent.setup();
    renderInApp(<BackfillDialog saved={hourlyTokyo} onClose={() => {}} />, 'operator', {
      routes: {
        [backfillRoute]: reply(403, {
          error: { code: 'forbidden', message: 'This needs the operator role' },
        }),
      },
    });
    await screen.findByRole('dialog', { name: 'Backfill nightly' });
    setRange('2024-01-01T00:00', '2024-01-01T05:00');
    await user.click(startButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('This needs the operator role');
    expect(
      within(screen.getByRole('status')).getByText('This needs the operator role'),
    ).toBeTruthy();
  });
});
