import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { JobDoc } from '../src/editor/model/document';
import { SchedulePanel } from '../src/editor/panels/SchedulePanel';
import { useValidation } from '../src/editor/useValidation';
import { renderInApp } from './harness';

type Schedule = NonNullable<JobDoc['schedule']>;

function Harness({ initial }: { initial: Schedule }) {
  const [doc, setDoc] = useState<JobDoc>({
    formatVersion: 1,
    name: 'scheduled',
    tasks: [{ id: 'wait', type: 'delay', params: { seconds: 1 } }],
    edges: [],
    schedule: initial,
  });
  const { problems } = useValidation(doc, 0);
  return (
    <>
      <SchedulePanel
        schedule={doc.schedule}
        problems={problems}
        readOnly={false}
        onChange={(schedule) => setDoc((current) => ({ ...current, schedule }))}
      />
      <output data-testid="schedule">{JSON.stringify(doc.schedule)}</output>
    </>
  );
}

const current = () => JSON.parse(screen.getByTestId('schedule').textContent ?? 'null') as Schedule;
const nextRuns = () =>
  within(screen.getByRole('region', { name: 'Schedule preview' })).queryAllByRole('listitem');

describe('schedule panel', () => {
  it('turns a preset into its cron expression and shows the next ten runs', async () => {
    const user = userEvent.setup();
    renderInApp(
      <Harness initial={{ preset: { kind: 'daily', time: '02:00' }, timezone: 'Europe/Berlin' }} />,
    );
    await screen.findByRole('radiogroup', { name: 'Kind of schedule' });
    expect(nextRuns()).toHaveLength(10);
    expect(screen.getByText(/At 02:00/)).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('Repeat'), 'weekly');
    expect(current().preset).toEqual({ kind: 'weekly', time: '02:00', days: ['mon'] });
    await user.click(screen.getByRole('checkbox', { name: 'fri' }));
    expect(current().preset).toMatchObject({ days: ['mon', 'fri'] });

    await user.click(screen.getByRole('radio', { name: 'Cron expression' }));
    expect(current().cron).toBe('0 2 * * mon,fri');
    expect(current().preset).toBeUndefined();
    expect(
      (screen.getByRole('textbox', { name: 'Cron expression' }) as HTMLInputElement).value,
    ).toBe('0 2 * * mon,fri');
    // Every listed run falls on a Monday or a Friday in Berlin.
    expect(nextRuns()).toHaveLength(10);
    for (const item of nextRuns()) expect(item.textContent).toMatch(/^(Mon|Fri)/);
  });

  it('writes the expression from the cron builder’s choices', async () => {
    const user = userEvent.setup();
    renderInApp(<Harness initial={{ cron: '0 2 * * *', timezone: 'UTC' }} />);
    await user.click(await screen.findByRole('radio', { name: 'Cron builder' }));
    await user.selectOptions(screen.getByLabelText('Minute'), '30');
    await user.selectOptions(screen.getByLabelText('Hour'), '6');
    await user.click(screen.getByRole('checkbox', { name: 'sat' }));
    expect(current().cron).toBe('30 6 * * sat');
    expect(
      (screen.getByRole('textbox', { name: 'Cron expression' }) as HTMLInputElement).value,
    ).toBe('30 6 * * sat');
    expect(nextRuns()[0]?.textContent).toMatch(/^Sat/);
  });

  it('explains an invalid cron expression and time zone where they are typed', async () => {
    const user = userEvent.setup();
    renderInApp(<Harness initial={{ cron: '0 2 * * *', timezone: 'UTC' }} />);
    const cron = await screen.findByRole('textbox', { name: 'Cron expression' });
    await user.clear(cron);
    await user.type(cron, '0 2 * *');
    expect(
      (await screen.findAllByText(/has 4 fields; a cron expression has 5/)).length,
    ).toBeGreaterThan(0);
    expect(cron.getAttribute('aria-invalid')).toBe('true');
    expect(nextRuns()).toHaveLength(0);

    await user.clear(cron);
    await user.type(cron, '15 * * * *');
    const zone = screen.getByLabelText('Time zone');
    await user.clear(zone);
    await user.type(zone, 'Mars/Olympus');
    expect(
      (await screen.findAllByText(/"Mars\/Olympus" is not a known IANA time zone/)).length,
    ).toBeGreaterThan(0);
    expect(zone.getAttribute('aria-invalid')).toBe('true');

    await user.clear(zone);
    await user.type(zone, 'Asia/Tokyo');
    expect(await screen.findByText(/Next 10 runs \(Asia\/Tokyo\)/)).toBeTruthy();
    expect(zone.getAttribute('aria-invalid')).toBeNull();
  });

  it('offers every IANA zone and switches to an interval with a start', async () => {
    const user = userEvent.setup();
    const { container } = renderInApp(<Harness initial={{ cron: '0 2 * * *', timezone: 'UTC' }} />);
    await screen.findByLabelText('Time zone');
    const options = container.querySelectorAll('datalist option');
    expect(options.length).toBe(new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']).size);
    await user.click(screen.getByRole('radio', { name: 'Interval' }));
    expect(current().interval).toMatchObject({ every: 1, unit: 'hours' });
    expect(current().cron).toBeUndefined();
    expect(screen.getByLabelText('Start')).toBeTruthy();
  });
});

describe('interval schedules', () => {
  it('lists runs every interval from the start, up to the end', async () => {
    renderInApp(
      <Harness
        initial={{
          interval: {
            every: 6,
            unit: 'hours',
            start: '2099-01-01T00:00:00Z',
            end: '2099-01-02T00:00:00Z',
          },
          timezone: 'UTC',
        }}
      />,
    );
    await screen.findByText(/Every 6 hours from/);
    // 00:00, 06:00, 12:00, 18:00 and 00:00 the next day (the end is included).
    expect(nextRuns()).toHaveLength(5);
  });
});
