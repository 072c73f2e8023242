import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { JobDoc } from '../src/editor/model/document';
import { SchedulePanel } from '../src/editor/panels/SchedulePanel';
import { useValidation } from '../src/editor/useValidation';
import { renderInApp, reply, sentBodies } from './harness';

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

  it('keeps a custom expression the cron builder cannot show, and says why', async () => {
    const user = userEvent.setup();
    const custom = '*/15 9-17 * * 1-5';
    renderInApp(<Harness initial={{ cron: custom, timezone: 'UTC' }} />);
    await user.click(await screen.findByRole('radio', { name: 'Cron builder' }));
    expect(current().cron).toBe(custom);
    expect(screen.getByRole('note').textContent).toMatch(/cannot show \*\/15 9-17 \* \* 1-5/);
    expect(screen.queryByLabelText('Minute')).toBeNull();

    await user.click(screen.getByRole('radio', { name: 'Cron expression' }));
    expect(current().cron).toBe(custom);
    expect(
      (screen.getByRole('textbox', { name: 'Cron expression' }) as HTMLInputElement).value,
    ).toBe(custom);

    await user.click(screen.getByRole('radio', { name: 'Cron builder' }));
    await user.click(screen.getByRole('button', { name: 'Start over in the builder' }));
    expect(current().cron).toBe('0 2 * * *');
    expect(screen.getByLabelText('Minute')).toBeTruthy();
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

describe('interval start and end on the schedule’s clock', () => {
  it('shows them in the schedule’s zone and stores what is typed there as the right instant', async () => {
    renderInApp(
      <Harness
        initial={{
          interval: { every: 1, unit: 'hours', start: '2099-01-01T00:00:00Z' },
          timezone: 'Asia/Tokyo',
        }}
      />,
    );
    const start = (await screen.findByLabelText('Start')) as HTMLInputElement;
    expect(start.value).toBe('2099-01-01T09:00');
    // The zone is named beside the field and announced with it.
    const aside = screen.getAllByText('Asia/Tokyo (UTC+09:00)')[0]!;
    expect(start.getAttribute('aria-describedby')).toContain(aside.id);

    fireEvent.change(start, { target: { value: '2099-01-02T08:30' } });
    expect(current().interval?.start).toBe('2099-01-02T08:30:00+09:00');
    expect(Date.parse(current().interval!.start)).toBe(Date.UTC(2099, 0, 1, 23, 30));

    fireEvent.change(screen.getByLabelText('End (optional)'), {
      target: { value: '2099-01-03T00:00' },
    });
    expect(Date.parse(current().interval!.end!)).toBe(Date.UTC(2099, 0, 2, 15, 0));
    expect(screen.getByText(/from 2099-01-02 08:30 until 2099-01-03 \(Asia\/Tokyo\)/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText('End (optional)'), { target: { value: '' } });
    expect(current().interval?.end).toBeUndefined();
  });

  it('keeps start and end on the wall clock when the zone changes', async () => {
    const user = userEvent.setup();
    renderInApp(
      <Harness
        initial={{
          interval: {
            every: 1,
            unit: 'hours',
            start: '2099-01-02T08:30:00+09:00',
            end: '2099-01-03T00:00:00+09:00',
          },
          timezone: 'Asia/Tokyo',
        }}
      />,
    );
    const zone = await screen.findByLabelText('Time zone');
    await user.clear(zone);
    await user.type(zone, 'Europe/Berlin');
    expect(current().timezone).toBe('Europe/Berlin');
    expect(current().interval).toMatchObject({
      start: '2099-01-02T08:30:00+01:00',
      end: '2099-01-03T00:00:00+01:00',
    });
    expect((screen.getByLabelText('Start') as HTMLInputElement).value).toBe('2099-01-02T08:30');
  });

  it('keeps a time the clocks skip out of the document and says why', async () => {
    renderInApp(
      <Harness
        initial={{
          interval: { every: 1, unit: 'days', start: '2099-01-01T00:00:00Z' },
          timezone: 'Europe/Berlin',
        }}
      />,
    );
    const start = (await screen.findByLabelText('Start')) as HTMLInputElement;
    fireEvent.change(start, { target: { value: '2099-03-29T02:30' } });
    expect(start.value).toBe('2099-03-29T02:30');
    expect(screen.getByText(/does not exist in Europe\/Berlin/)).toBeTruthy();
    expect(current().interval?.start).toBe('2099-01-01T00:00:00Z');
  });
});

describe('actions on the saved schedule', () => {
  const savedJob = {
    id: 'j1',
    name: 'nightly',
    version: 3,
    document: {
      formatVersion: 1,
      name: 'nightly',
      tasks: [{ id: 'wait', type: 'delay', params: { seconds: 1 } }],
      schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin', overlap: 'buffer_one' },
    },
  };

  it('runs the saved schedule now and leaves backfill to operators, saying so', async () => {
    const user = userEvent.setup();
    const { fetch } = renderInApp(
      <Harness initial={{ cron: '0 2 * * *', timezone: 'Europe/Berlin', overlap: 'buffer_one' }} />,
      'analyst',
      {
        path: '/jobs/:jobId',
        at: '/jobs/j1',
        routes: {
          '/jobs/j1': savedJob,
          'POST /jobs/j1/schedule/trigger': reply(202, { ok: true }),
        },
      },
    );
    const actions = await screen.findByRole('region', { name: 'Saved schedule' });
    const backfill = within(actions).getByRole('button', { name: 'Backfill…' });
    expect((backfill as HTMLButtonElement).disabled).toBe(true);
    expect(backfill.getAttribute('aria-describedby')).toBeTruthy();
    expect(within(actions).getByText(/backfilling needs the operator role/)).toBeTruthy();

    await user.click(within(actions).getByRole('button', { name: 'Run schedule now…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Run the schedule of nightly now' });
    expect(
      within(dialog).getByRole('option', { name: /As the schedule says \(buffer one\)/ }),
    ).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Run now' }));
    await waitFor(() => expect(sentBodies(fetch, 'POST /jobs/j1/schedule/trigger')).toEqual([{}]));
    expect(await screen.findByText('Started a run of nightly from its schedule')).toBeTruthy();
  });

  it('says when the schedule being edited is not the saved one', async () => {
    const user = userEvent.setup();
    renderInApp(
      <Harness initial={{ cron: '0 2 * * *', timezone: 'Europe/Berlin', overlap: 'buffer_one' }} />,
      'operator',
      { path: '/jobs/:jobId', at: '/jobs/j1', routes: { '/jobs/j1': savedJob } },
    );
    const actions = await screen.findByRole('region', { name: 'Saved schedule' });
    expect(within(actions).queryByText(/save to use your changes/)).toBeNull();
    expect(
      (within(actions).getByRole('button', { name: 'Backfill…' }) as HTMLButtonElement).disabled,
    ).toBe(false);
    const cron = screen.getByRole('textbox', { name: 'Cron expression' });
    await user.clear(cron);
    await user.type(cron, '0 3 * * *');
    expect(within(actions).getByText(/save to use your changes/)).toBeTruthy();
  });

  it('offers nothing for a job that is not saved', async () => {
    renderInApp(<Harness initial={{ cron: '0 2 * * *', timezone: 'UTC' }} />, 'admin');
    await screen.findByRole('radiogroup', { name: 'Kind of schedule' });
    expect(screen.queryByRole('region', { name: 'Saved schedule' })).toBeNull();
  });
});
