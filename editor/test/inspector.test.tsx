import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useCallback, useReducer, useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { Selection } from '../src/editor/canvas/JobCanvas';
import type { JobDoc } from '../src/editor/model/document';
import { historyReducer, startHistory } from '../src/editor/model/history';
import { Inspector } from '../src/editor/panels/Inspector';
import { useValidation } from '../src/editor/useValidation';
import { renderInApp } from './harness';

const job: JobDoc = {
  formatVersion: 1,
  name: 'inspect-me',
  tasks: [
    { id: 'fetch', type: 'http', params: { method: 'GET', url: 'https://example.com/items' } },
    { id: 'mail', type: 'notify', params: { email: ['ops@example.com'] } },
  ],
  edges: [{ from: 'fetch', to: 'mail', on: 'success' }],
};

/** The inspector wired to a document and the engine's validation, as in the editor. */
function Harness({ taskId }: { taskId: string }) {
  const [history, dispatch] = useReducer(historyReducer, job, startHistory);
  const [selection, setSelection] = useState<Selection>({
    tasks: new Set([taskId]),
    edges: new Set(),
  });
  const { problems } = useValidation(history.present, 0);
  const onEdit = useCallback(
    (update: (doc: JobDoc) => JobDoc, coalesce?: string) =>
      dispatch({ type: 'edit', update, coalesce }),
    [],
  );
  return (
    <>
      <Inspector
        doc={history.present}
        selection={selection}
        problems={problems}
        readOnly={false}
        onEdit={onEdit}
        onSelect={setSelection}
        onDelete={() => undefined}
      />
      <output data-testid="doc">{JSON.stringify(history.present)}</output>
    </>
  );
}

const currentDoc = () => JSON.parse(screen.getByTestId('doc').textContent ?? '{}') as JobDoc;

describe('generated inspector form', () => {
  it('shows one labelled field per params property, titled and described by the schema', async () => {
    renderInApp(<Harness taskId="fetch" />, 'analyst');
    const form = await screen.findByRole('form', { name: 'Task fetch' });
    for (const label of [
      /^Method/,
      /^URL/,
      /^Request timeout/,
      /^Connection/,
      /^Expected status/,
      /^Body/,
    ]) {
      expect(within(form).getByLabelText(label)).toBeTruthy();
    }
    // Help text comes from .meta({ description }).
    expect(within(form).getByText('The address to call.')).toBeTruthy();
    // Task fields shared by every type are generated too.
    for (const label of [/^Retries/, /^Timeout \(s\)/, /^Join/, /^Task queue/, /^First wait/]) {
      expect(within(form).getByLabelText(label)).toBeTruthy();
    }
    expect(within(form).getByRole('group', { name: 'Headers' })).toBeTruthy();
    // Each map's add button says which map it adds to.
    expect(within(form).getByRole('button', { name: 'Add Headers entry' })).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Add Query parameters entry' })).toBeTruthy();
  });

  it('writes edits into the job document', async () => {
    const user = userEvent.setup();
    renderInApp(<Harness taskId="fetch" />, 'analyst');
    const url = await screen.findByLabelText('URL', { exact: false });
    await user.clear(url);
    await user.type(url, 'https://example.org/v2');
    await user.selectOptions(screen.getByLabelText('Method'), 'POST');
    await user.type(screen.getByLabelText('Retries', { exact: false }), '3');
    await user.type(
      screen.getByLabelText('Expected status codes', { exact: false }),
      '200{enter}204',
    );
    const task = currentDoc().tasks[0]!;
    expect(task.params).toMatchObject({
      url: 'https://example.org/v2',
      method: 'POST',
      expectStatus: [200, 204],
    });
    expect(task.retries).toBe(3);
  });

  it('shows the engine’s message next to an invalid value', async () => {
    const user = userEvent.setup();
    renderInApp(<Harness taskId="fetch" />, 'analyst');
    const url = await screen.findByLabelText('URL', { exact: false });
    await user.clear(url);
    await user.type(url, 'ftp://files');
    expect(await screen.findByText(/must be an absolute http:\/\/ or https:\/\/ URL/)).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBe('true');

    const retries = screen.getByLabelText('Retries', { exact: false });
    await user.type(retries, '-1');
    expect(await screen.findByText(/retries must be at least 0/)).toBeTruthy();
  });

  it('lists e-mail recipients one per line and reports a bad address', async () => {
    const user = userEvent.setup();
    renderInApp(<Harness taskId="mail" />, 'analyst');
    const recipients = await screen.findByLabelText('E-mail recipients', { exact: false });
    await user.type(recipients, '{enter}not-an-address');
    expect(currentDoc().tasks[1]!.params).toEqual({ email: ['ops@example.com', 'not-an-address'] });
    expect(await screen.findByText(/must be an e-mail address/)).toBeTruthy();
  });

  it('renames a task and the edges that name it', async () => {
    const user = userEvent.setup();
    renderInApp(<Harness taskId="fetch" />, 'analyst');
    const id = await screen.findByLabelText('Id');
    await user.clear(id);
    await user.type(id, 'mail');
    expect(screen.getByText("Another task already has the id 'mail'.")).toBeTruthy();
    await user.clear(id);
    await user.type(id, 'load{enter}');
    expect(currentDoc().edges).toEqual([{ from: 'load', to: 'mail', on: 'success' }]);
  });

  it('offers an analyst the usable connection names in an http task’s connection field', async () => {
    const user = userEvent.setup();
    renderInApp(<Harness taskId="fetch" />, 'analyst', {
      routes: {
        '/connections': {
          items: [
            { name: 'crm-api', kind: 'bearer', owner: null, createdAt: '2026-01-05T10:00:00Z' },
            { name: 'billing', kind: 'basic', owner: 'u1', createdAt: '2026-01-06T10:00:00Z' },
          ],
        },
      },
    });
    const connection = await screen.findByLabelText(/^Connection/);
    const list = await waitFor(() => {
      const datalist = document.getElementById(connection.getAttribute('list') ?? '');
      expect(datalist?.querySelectorAll('option')).toHaveLength(2);
      return datalist!;
    });
    expect([...list.querySelectorAll('option')].map((option) => option.value)).toEqual([
      'crm-api',
      'billing',
    ]);
    // Still the generated text field: any name can be typed and lands in the params.
    await user.type(connection, 'crm-api');
    expect(currentDoc().tasks[0]!.params).toMatchObject({ connection: 'crm-api' });
    // Other text fields get no list.
    expect(screen.getByLabelText('URL', { exact: false }).getAttribute('list')).toBeNull();
  });
});
