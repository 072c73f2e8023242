import { describe, expect, it } from 'vitest';
import { taskNodes } from '../src/editor/canvas/flow';
import { taskAt } from '../src/editor/canvas/overview';
import type { JobDoc } from '../src/editor/model/document';
import { indexProblems } from '../src/editor/model/problems';

const job: JobDoc = {
  formatVersion: 1,
  name: 'overview',
  tasks: [
    { id: 'left', type: 'delay', params: { seconds: 1 }, position: { x: 0, y: 0 } },
    { id: 'right', type: 'delay', params: { seconds: 1 }, position: { x: 400, y: 0 } },
  ],
  edges: [{ from: 'left', to: 'right', on: 'success' }],
};
const options = {
  selectedTasks: new Set<string>(),
  selectedEdges: new Set<number>(),
  problems: indexProblems([], []),
  editable: true,
};

describe('large-graph overview', () => {
  it('finds the task under a point of the flow, and none between tasks', () => {
    const tasks = [
      { id: 'left', x: 0, y: 0, label: 'left' },
      { id: 'right', x: 400, y: 0, label: 'right' },
    ];
    expect(taskAt(tasks, { x: 10, y: 10 })).toBe('left');
    expect(taskAt(tasks, { x: 450, y: 80 })).toBe('right');
    expect(taskAt(tasks, { x: 300, y: 10 })).toBeUndefined();
    expect(taskAt(tasks, { x: 10, y: 200 })).toBeUndefined();
  });

  it('hands React Flow hidden nodes while the overview draws them, and fresh ones after', () => {
    const drawn = taskNodes(job, { ...options, overview: true });
    expect(drawn.every((node) => node.hidden)).toBe(true);
    const shown = taskNodes(job, options);
    expect(shown.every((node) => !node.hidden)).toBe(true);
    expect(shown[0]).not.toBe(drawn[0]);
  });
});
