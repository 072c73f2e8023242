import { describe, expect, it } from 'vitest';
import { diffJobs } from '../src/editor/model/diff';
import {
  addEdge,
  copyFragment,
  pasteFragment,
  removeElements,
  renameTask,
  type JobDoc,
} from '../src/editor/model/document';
import { cycleRefusal, wouldCreateCycle } from '../src/editor/model/graph';
import { historyReducer, startHistory } from '../src/editor/model/history';
import { problemTarget } from '../src/editor/model/problems';

const job: JobDoc = {
  formatVersion: 1,
  name: 'model',
  tasks: [
    { id: 'a', type: 'delay', params: { seconds: 1 }, position: { x: 0, y: 0 } },
    { id: 'b', type: 'delay', params: { seconds: 1 }, position: { x: 300, y: 0 } },
    { id: 'c', type: 'delay', params: { seconds: 1 }, position: { x: 600, y: 0 } },
  ],
  edges: [
    { from: 'a', to: 'b', on: 'success' },
    { from: 'b', to: 'c', on: 'failure' },
  ],
};

describe('job document model', () => {
  it('refuses connections that would close a cycle', () => {
    expect(wouldCreateCycle(job, 'c', 'a')).toBe(true);
    expect(wouldCreateCycle(job, 'b', 'b')).toBe(true);
    expect(wouldCreateCycle(job, 'a', 'c')).toBe(false);
  });

  it('says which path a refused connection would close into a cycle', () => {
    expect(cycleRefusal(job, 'c', 'a')).toBe(
      'c → a would close a cycle: a already leads to c (a → b → c). ' +
        'A job runs each task once, so its graph has no cycles.',
    );
    expect(cycleRefusal(job, 'b', 'b')).toBe('A task cannot lead to itself: b → b is refused.');
    expect(cycleRefusal(job, 'a', 'c')).toBeUndefined();
  });

  it('keeps untouched tasks as the same objects and drops the edges of deleted tasks', () => {
    const next = removeElements(job, new Set(['b']), new Set());
    expect(next.tasks.map((task) => task.id)).toEqual(['a', 'c']);
    expect(next.edges).toEqual([]);
    expect(next.tasks[0]).toBe(job.tasks[0]);
    expect(addEdge(job, 'a', 'b', 'always')).toBe(job);
  });

  it('renames a task everywhere and pastes copies with fresh ids', () => {
    expect(renameTask(job, 'b', 'load').edges).toEqual([
      { from: 'a', to: 'load', on: 'success' },
      { from: 'load', to: 'c', on: 'failure' },
    ]);
    const { doc, ids } = pasteFragment(job, copyFragment(job, new Set(['a', 'b'])), {
      x: 40,
      y: 40,
    });
    expect(ids).toEqual(['a-2', 'b-2']);
    expect(doc.edges?.at(-1)).toEqual({ from: 'a-2', to: 'b-2', on: 'success' });
    expect(doc.tasks.at(-1)?.position).toEqual({ x: 340, y: 40 });
  });

  it('undoes and redoes, folding a run of edits to one field into one step', () => {
    const rename = (name: string) => (doc: JobDoc) => ({ ...doc, name });
    let state = startHistory(job);
    state = historyReducer(state, { type: 'edit', update: rename('m'), coalesce: 'name' });
    state = historyReducer(state, { type: 'edit', update: rename('mo'), coalesce: 'name' });
    state = historyReducer(state, { type: 'edit', update: rename('mod'), coalesce: 'name' });
    expect(state.past).toHaveLength(1);
    state = historyReducer(state, { type: 'undo' });
    expect(state.present).toBe(job);
    state = historyReducer(state, { type: 'redo' });
    expect(state.present.name).toBe('mod');
  });

  it('diffs two versions, ignoring moves', () => {
    const next: JobDoc = {
      ...job,
      tasks: [
        { ...job.tasks[0]!, position: { x: 10, y: 10 } },
        { ...job.tasks[1]!, retries: 2 },
        { id: 'd', type: 'delay', params: { seconds: 2 } },
      ],
      edges: [{ from: 'a', to: 'b', on: 'always' }],
    };
    const diff = diffJobs(job, next);
    expect(Object.fromEntries(diff.tasks)).toEqual({ b: 'changed', d: 'added', c: 'removed' });
    expect(Object.fromEntries(diff.edges)).toEqual({ 'a→b': 'changed', 'b→c': 'removed' });
  });

  it('maps problem paths to what they are about', () => {
    expect(problemTarget('$.tasks[3].params.url')).toEqual({
      kind: 'task',
      index: 3,
      field: 'params.url',
    });
    expect(problemTarget('$.edges[0].to')).toEqual({ kind: 'edge', index: 0, field: 'to' });
    expect(problemTarget('$.schedule.cron')).toEqual({ kind: 'schedule', field: 'cron' });
    expect(problemTarget('$.tasks')).toEqual({ kind: 'job', field: 'tasks' });
  });
});
