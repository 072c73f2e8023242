import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../src/api/types';
import { ImportButton } from '../src/jobs/ImportButton';
import { JobRow } from '../src/jobs/JobRow';
import { DataTable } from '../src/ui/DataTable';
import { renderInApp } from './harness';

describe('list screens', () => {
  it('show placeholder rows while the first page loads, not an empty table', () => {
    render(
      <DataTable caption="Jobs" columns={['Job', 'Next run']} actions busy skeleton>
        <tr>
          <td>not shown while loading</td>
        </tr>
      </DataTable>,
    );
    const table = screen.getByRole('table', { hidden: true });
    expect(table.getAttribute('aria-busy')).toBe('true');
    const rows = table.querySelectorAll('tbody tr.table__skeleton');
    expect(rows).toHaveLength(4);
    expect(rows[0]!.querySelectorAll('td')).toHaveLength(3);
    expect(table.textContent).not.toContain('not shown while loading');
  });

  it("shows a job's next run on its schedule's clock, with the zone", async () => {
    const job: JobSummary = {
      id: 'j1',
      name: 'nightly',
      version: 1,
      owner: { id: 'u1', name: 'Ada' },
      updatedAt: '2026-11-30T10:00:00.000Z',
      schedule: {
        kind: 'cron',
        description: 'At 02:00',
        timezone: 'Asia/Tokyo',
        paused: false,
        nextRunAt: '2026-12-01T17:00:00.000Z',
      },
    };
    renderInApp(
      <table>
        <tbody>
          <JobRow
            job={job}
            now={Date.parse('2026-12-01T12:00:00.000Z')}
            selectable={false}
            selected={false}
            canRun
            canEdit
            canPause={false}
            canBackfill={false}
            onSelect={() => {}}
            onAction={() => {}}
          />
        </tbody>
      </table>,
    );
    await screen.findByRole('link', { name: 'nightly' });
    const next = within(screen.getAllByRole('cell')[2]!).getAllByText(/./)[0]!.textContent!;
    // 17:00 UTC is 02:00 the next day in Tokyo.
    expect(next).toMatch(/Dec 2, 2026/);
    expect(next).toMatch(/02:00/);
    expect(next).toMatch(/GMT\+9|JST/);
  });
});

describe('what a viewer may not do', () => {
  it('shows Import disabled with the reason', () => {
    render(
      <MemoryRouter>
        <ImportButton allowed={false} />
      </MemoryRouter>,
    );
    const button = screen.getByRole('button', { name: 'Import…' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute('title')).toMatch(/Viewers cannot import/);
  });
});
