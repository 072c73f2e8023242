import { describe, expect, it } from 'vitest';
import { retryPlan, type FailedRun } from '../src/retry';
import type { ForeachRedrive, TaskView } from '../src/run';
import type { TaskState } from '../src/semantics';
import { edge, job, planOf, task } from './helpers';

function failedRun(
  input: unknown,
  states: Record<string, TaskState>,
  extra: Record<string, Partial<TaskView>> = {},
): FailedRun {
  const plan = planOf(input);
  const tasks = Object.fromEntries(
    Object.entries(states).map(([id, state]) => [id, { state, attempts: 1, ...extra[id] }]),
  );
  const outputs = Object.fromEntries(
    Object.entries(states)
      .filter(([, state]) => state === 'succeeded')
      .map(([id]) => [id, { from: id }]),
  );
  return { plan, tasks, outputs };
}

describe('retryPlan', () => {
  // a → b → c, b → cleanup (always), b → handler (failure), b → either (any, with a → either)
  const graph = job(
    [
      task('a'),
      task('b'),
      task('c'),
      task('cleanup'),
      task('handler'),
      task('either', { join: 'any' }),
      task('sibling'),
    ],
    [
      edge('a', 'b'),
      edge('b', 'c'),
      edge('b', 'cleanup', 'always'),
      edge('b', 'handler', 'failure'),
      edge('a', 'either'),
      edge('b', 'either'),
    ],
  );
  const states: Record<string, TaskState> = {
    a: 'succeeded',
    b: 'failed',
    c: 'skipped',
    cleanup: 'succeeded',
    handler: 'succeeded',
    either: 'succeeded',
    sibling: 'succeeded',
  };

  it('re-runs the failed tasks and everything reachable from them, by any edge', () => {
    const failed = failedRun(graph, states);
    const plan = retryPlan(failed, failed.plan);
    expect(plan.rerun).toEqual(['b', 'c', 'cleanup', 'handler', 'either']);
    expect(plan.reused).toEqual(['a', 'sibling']);
    expect(plan.reuse).toEqual({
      a: { output: { from: 'a' } },
      sibling: { output: { from: 'sibling' } },
    });
  });

  it('on the current version, reuses only tasks whose id, type and params are unchanged', () => {
    const failed = failedRun(graph, states);
    const fixed = job(
      [
        task('a'),
        task('b', { retries: 2 }),
        task('c'),
        task('cleanup'),
        task('handler'),
        task('either', { join: 'any' }),
        { id: 'sibling', type: 'delay', params: { seconds: 1 } },
        task('added'),
      ],
      [
        edge('a', 'b'),
        edge('b', 'c'),
        edge('b', 'cleanup', 'always'),
        edge('b', 'handler', 'failure'),
        edge('a', 'either'),
        edge('b', 'either'),
        edge('sibling', 'added'),
      ],
    );
    const plan = retryPlan(failed, planOf(fixed));
    expect(plan.reused).toEqual(['a']);
    expect(plan.rerun).toEqual(['b', 'c', 'cleanup', 'handler', 'either', 'sibling', 'added']);
  });

  it('compares params whatever their key order', () => {
    const make = (params: object) => job([{ id: 'x', type: 'http', params } as never, task('y')]);
    const failed = failedRun(make({ url: 'http://h/', method: 'GET' }), {
      x: 'succeeded',
      y: 'failed',
    });
    expect(retryPlan(failed, planOf(make({ method: 'GET', url: 'http://h/' }))).reused).toEqual([
      'x',
    ]);
  });

  it('redrives a foreach whose params are unchanged', () => {
    const redrive: ForeachRedrive = {
      itemsHash: 'h',
      total: 18,
      todo: [[3, 5]],
      succeeded: 15,
      counters: {},
    };
    const each = {
      id: 'each',
      type: 'foreach',
      params: { items: [1, 2], task: { type: 'http', params: { url: 'http://h/{{ item }}' } } },
    };
    const failed = failedRun(job([each as never]), { each: 'failed' }, { each: { redrive } });
    const plan = retryPlan(failed, failed.plan);
    expect(plan.rerun).toEqual(['each']);
    expect(plan.redriven).toEqual(['each']);
    expect(plan.redrive).toEqual({ each: redrive });
  });
});
