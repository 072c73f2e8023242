import { ReactFlowProvider } from '@xyflow/react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JobEditor } from '../src/editor/JobEditor';
import type { JobDoc } from '../src/editor/model/document';
import { renderInApp } from './harness';

const broken: JobDoc = {
  formatVersion: 1,
  name: 'broken-edges',
  tasks: [
    {
      id: 'extract',
      type: 'http',
      params: { url: 'https://example.com/a' },
      position: { x: 0, y: 0 },
    },
    { id: 'load', type: 'delay', params: { seconds: 5 }, position: { x: 320, y: 0 } },
  ],
  edges: [
    { from: 'extract', to: 'load', on: 'success' },
    { from: 'extract', to: 'ghost', on: 'failure' },
  ],
};

function renderEditor(doc: JobDoc) {
  return renderInApp(
    <ReactFlowProvider>
      <JobEditor jobId="j1" version={3} initial={doc} onReload={() => undefined} />
    </ReactFlowProvider>,
    'analyst',
  );
}

const edgeLabel = (container: HTMLElement, id: string) =>
  container.querySelector<HTMLElement>(`[data-edge-id="${id}"]`);

describe('validation marks on the canvas', () => {
  it('marks an edge to an unknown task, lists the problem, and selects the edge from the list', async () => {
    const user = userEvent.setup();
    const { container } = renderEditor(broken);
    const problems = await screen.findByRole('region', { name: 'Problems' });
    const item = await within(problems).findByRole('button', { name: /ghost/ });
    expect(item.textContent).toMatch(/\$\.edges\[1\]\.to/);

    // The unknown end is drawn as a placeholder node, so the broken edge is visible and marked.
    expect(screen.getByText('No task has this id')).toBeTruthy();
    await waitFor(() =>
      expect(edgeLabel(container, 'e1')?.className).toMatch(/kind-edge__label--error/),
    );
    expect(edgeLabel(container, 'e0')?.className).not.toMatch(/--error/);
    expect(container.querySelector('[data-id="e1"] .kind-edge--invalid')).toBeTruthy();

    await user.click(item);
    expect(await screen.findByRole('heading', { name: 'Edge extract → ghost' })).toBeTruthy();
    expect(edgeLabel(container, 'e1')?.className).toMatch(/kind-edge__label--selected/);
  });

  it('marks an invalid task and selects it from the problem list', async () => {
    const user = userEvent.setup();
    const doc: JobDoc = {
      ...broken,
      tasks: [
        broken.tasks[0]!,
        { id: 'load', type: 'delay', params: { seconds: -5 }, position: { x: 320, y: 0 } },
      ],
      edges: [broken.edges![0]!],
    };
    const { container } = renderEditor(doc);
    const problems = await screen.findByRole('region', { name: 'Problems' });
    const item = await within(problems).findByRole('button', {
      name: /seconds must be at least 0/,
    });
    const node = container.querySelector('[data-task-id="load"]');
    expect(node?.className).toMatch(/task-node--error/);
    expect(container.querySelector('[data-task-id="extract"]')?.className).not.toMatch(/--error/);

    await user.click(item);
    const form = await screen.findByRole('form', { name: 'Task load' });
    expect(within(form).getByText(/seconds must be at least 0/)).toBeTruthy();
    expect(node?.className).toMatch(/task-node--selected/);
  });

  it('switches an edge’s kind from its label', async () => {
    const user = userEvent.setup();
    const { container } = renderEditor({ ...broken, edges: [broken.edges![0]!] });
    await waitFor(() => expect(edgeLabel(container, 'e0')).toBeTruthy());
    await user.click(
      within(edgeLabel(container, 'e0')!).getByRole('button', { name: /Change kind/ }),
    );
    await user.click(screen.getByRole('menuitemradio', { name: 'failure' }));
    await waitFor(() =>
      expect(edgeLabel(container, 'e0')?.className).toMatch(/kind-edge__label--failure/),
    );
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
  });
});
