import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RunOverlay } from '../src/editor/canvas/flow';
import type { JobDoc } from '../src/editor/model/document';
import { failureHandlingOf, stateLabel } from '../src/editor/model/failures';
import { RunLegend } from '../src/runs/RunLegend';

const doc: JobDoc = {
  formatVersion: 1,
  name: 'erp-like',
  tasks: [
    { id: 'post', type: 'delay', params: { seconds: 1 } },
    { id: 'alert', type: 'delay', params: { seconds: 1 } },
    { id: 'optional', type: 'delay', params: { seconds: 1 }, ignoreFailure: true },
    { id: 'load', type: 'delay', params: { seconds: 1 } },
    { id: 'cleanup', type: 'delay', params: { seconds: 1 } },
  ],
  edges: [
    { from: 'post', to: 'alert', on: 'failure' },
    { from: 'load', to: 'cleanup', on: 'always' },
  ],
};

describe('failures in the run view', () => {
  it('tells handled and ignored failures from those that fail the run', () => {
    const handling = failureHandlingOf(doc);
    expect(Object.fromEntries(handling)).toEqual({
      post: 'handled',
      alert: 'fails-run',
      optional: 'ignored',
      // An always edge does not handle a failure.
      load: 'fails-run',
      cleanup: 'fails-run',
    });
    expect(stateLabel('failed', handling.get('post'))).toBe('failed (handled)');
    expect(stateLabel('failed', handling.get('optional'))).toBe('failed (ignored)');
    expect(stateLabel('failed', handling.get('load'))).toBe('failed');
    expect(stateLabel('succeeded', handling.get('post'))).toBe('succeeded');
  });

  it('counts the tasks of each state in the legend', () => {
    const tasks: Record<string, RunOverlay> = {
      post: { state: 'failed', failure: 'handled', attempts: 3 },
      alert: { state: 'succeeded', attempts: 1 },
      optional: { state: 'failed', failure: 'ignored', attempts: 1 },
      load: { state: 'succeeded', attempts: 1 },
      cleanup: { state: 'succeeded', attempts: 1 },
    };
    render(<RunLegend tasks={tasks} />);
    const items = within(screen.getByRole('list', { name: 'Task states' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(items).toEqual(['succeeded 3', 'failed (handled) 1', 'failed (ignored) 1']);
  });
});
