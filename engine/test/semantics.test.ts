/** DESIGN.md "Run semantics", rules 1–7, one block per rule. */
import { describe, expect, it } from 'vitest';
import {
  RunMachine,
  failureHandling,
  satisfies,
  taskStates,
  type TaskState,
} from '../src/semantics';
import { edgeKinds } from '../src/schema';
import { edge, indexIn, job, planOf, run, statesOf, task } from './helpers';

const ALWAYS_FAILS = Infinity;

describe('rule 1: edge satisfaction', () => {
  it.each([
    ['success', 'succeeded', true],
    ['success', 'failed', false],
    ['failure', 'failed', true],
    ['failure', 'succeeded', false],
    ['always', 'succeeded', true],
    ['always', 'failed', true],
  ] as const)('a %s edge from a %s source is satisfied: %s', (on, source, expected) => {
    expect(satisfies({ from: 0, to: 1, on }, source)).toBe(expected);
  });

  it.each(edgeKinds)('a skipped or cancelled source satisfies no %s edge', (on) => {
    for (const source of ['skipped', 'cancelled', 'pending', 'running'] satisfies TaskState[]) {
      expect(satisfies({ from: 0, to: 1, on }, source)).toBe(false);
    }
  });

  it('runs the target of a success edge only when the source succeeded', () => {
    const graph = job([task('a'), task('b')], [edge('a', 'b', 'success')]);
    expect(statesOf(run(graph))).toEqual({ a: 'succeeded', b: 'succeeded' });
    expect(statesOf(run(graph, { a: ALWAYS_FAILS }))).toEqual({ a: 'failed', b: 'skipped' });
  });

  it('runs the target of a failure edge only when the source failed', () => {
    const graph = job([task('a'), task('b')], [edge('a', 'b', 'failure')]);
    expect(statesOf(run(graph))).toEqual({ a: 'succeeded', b: 'skipped' });
    expect(statesOf(run(graph, { a: ALWAYS_FAILS }))).toEqual({ a: 'failed', b: 'succeeded' });
  });

  it('runs the target of an always edge either way', () => {
    const graph = job([task('a'), task('b')], [edge('a', 'b', 'always')]);
    expect(statesOf(run(graph)).b).toBe('succeeded');
    expect(statesOf(run(graph, { a: ALWAYS_FAILS })).b).toBe('succeeded');
  });

  it('does not run the target of an always edge whose source was skipped', () => {
    const graph = job(
      [task('a'), task('b'), task('c')],
      [edge('a', 'b', 'success'), edge('b', 'c', 'always')],
    );
    expect(statesOf(run(graph, { a: ALWAYS_FAILS }))).toEqual({
      a: 'failed',
      b: 'skipped',
      c: 'skipped',
    });
  });

  it('does not run the target of an always edge whose source was cancelled', () => {
    const plan = planOf(job([task('a'), task('b')], [edge('a', 'b', 'always')]));
    const machine = new RunMachine(plan);
    expect(machine.startReady()).toEqual([0]);
    machine.cancel();
    expect([machine.state(0), machine.state(1)]).toEqual(['cancelled', 'skipped']);
  });
});

describe('rule 2: tasks without incoming edges start when the run starts', () => {
  it('starts every root at once, wherever it stands in the file', () => {
    const plan = planOf(
      job(
        [task('a'), task('child'), task('b'), task('c')],
        [edge('a', 'child'), edge('b', 'child')],
      ),
    );
    expect(new RunMachine(plan).startReady()).toEqual([0, 2, 3]);
  });

  it('treats a join-any task without incoming edges as a root too', () => {
    const plan = planOf(job([task('solo', { join: 'any' })]));
    expect(new RunMachine(plan).startReady()).toEqual([0]);
  });
});

describe('rule 3: joins', () => {
  const graph = (join: 'all' | 'any') =>
    planOf(job([task('x'), task('y'), task('z', { join })], [edge('x', 'z'), edge('y', 'z')]));

  it('join all waits for every incoming edge', () => {
    const plan = graph('all');
    const machine = new RunMachine(plan);
    machine.startReady();
    machine.finish(indexIn(plan, 'x'), 'succeeded');
    expect(machine.startReady()).toEqual([]);
    expect(machine.state(indexIn(plan, 'z'))).toBe('pending');
    machine.finish(indexIn(plan, 'y'), 'succeeded');
    expect(machine.startReady()).toEqual([indexIn(plan, 'z')]);
  });

  it('join any starts on the first satisfied edge without waiting for the other parents', () => {
    const plan = graph('any');
    const machine = new RunMachine(plan);
    machine.startReady();
    machine.finish(indexIn(plan, 'x'), 'succeeded');
    expect(machine.state(indexIn(plan, 'y'))).toBe('running');
    expect(machine.startReady()).toEqual([indexIn(plan, 'z')]);
    machine.finish(indexIn(plan, 'y'), 'failed');
    machine.finish(indexIn(plan, 'z'), 'succeeded');
    expect(machine.isFinished).toBe(true);
  });

  it('join any runs when only a later parent satisfies it', () => {
    const simulation = run(
      job([task('x'), task('y'), task('z', { join: 'any' })], [edge('x', 'z'), edge('y', 'z')]),
      { x: ALWAYS_FAILS },
    );
    expect(statesOf(simulation)).toEqual({ x: 'failed', y: 'succeeded', z: 'succeeded' });
  });
});

describe('rule 4: skips', () => {
  it('skips a join-all task as soon as one edge can no longer be satisfied', () => {
    const plan = planOf(job([task('x'), task('y'), task('z')], [edge('x', 'z'), edge('y', 'z')]));
    const machine = new RunMachine(plan);
    machine.startReady();
    machine.finish(indexIn(plan, 'x'), 'failed');
    expect(machine.state(indexIn(plan, 'y'))).toBe('running');
    expect(machine.state(indexIn(plan, 'z'))).toBe('skipped');
  });

  it('skips a join-any task only when every source finished and none satisfied it', () => {
    const plan = planOf(
      job([task('x'), task('y'), task('z', { join: 'any' })], [edge('x', 'z'), edge('y', 'z')]),
    );
    const machine = new RunMachine(plan);
    machine.startReady();
    machine.finish(indexIn(plan, 'x'), 'failed');
    expect(machine.state(indexIn(plan, 'z'))).toBe('pending');
    machine.finish(indexIn(plan, 'y'), 'failed');
    expect(machine.state(indexIn(plan, 'z'))).toBe('skipped');
  });

  it('propagates skips down the graph through every kind of edge', () => {
    const simulation = run(
      job(
        [task('a'), task('b'), task('c'), task('d'), task('e')],
        [
          edge('a', 'b', 'success'),
          edge('b', 'c', 'failure'),
          edge('c', 'd', 'always'),
          edge('d', 'e'),
        ],
      ),
      { a: ALWAYS_FAILS },
    );
    expect(statesOf(simulation)).toEqual({
      a: 'failed',
      b: 'skipped',
      c: 'skipped',
      d: 'skipped',
      e: 'skipped',
    });
    expect(simulation.order).toEqual(['a']);
  });

  it('lets a join-any task run past a skipped parent when another parent satisfies it', () => {
    const simulation = run(
      job(
        [task('a'), task('b'), task('other'), task('join', { join: 'any' })],
        [edge('a', 'b'), edge('b', 'join'), edge('other', 'join')],
      ),
      { a: ALWAYS_FAILS },
    );
    expect(statesOf(simulation)).toMatchObject({ b: 'skipped', join: 'succeeded' });
  });
});

describe('rule 5: attempts', () => {
  it('gives a task 1 + retries attempts and fails it when the last one fails', () => {
    const simulation = run(job([task('a', { retries: 2 })]), { a: ALWAYS_FAILS });
    expect(simulation.tasks.a).toEqual({ state: 'failed', attempts: 3 });
  });

  it('succeeds when an attempt within the retries succeeds', () => {
    const graph = job([task('a', { retries: 2 })]);
    expect(run(graph, { a: 2 }).tasks.a).toEqual({ state: 'succeeded', attempts: 3 });
    expect(run(graph, { a: 1 }).tasks.a).toEqual({ state: 'succeeded', attempts: 2 });
    expect(run(graph, { a: 3 }).tasks.a).toEqual({ state: 'failed', attempts: 3 });
  });

  it('tries a task without retries once', () => {
    expect(run(job([task('a')]), { a: 1 }).tasks.a).toEqual({ state: 'failed', attempts: 1 });
    expect(run(job([task('a')])).tasks.a).toEqual({ state: 'succeeded', attempts: 1 });
  });

  it('compiles retries into the Temporal retry policy', () => {
    const plan = planOf(
      job([
        task('a', {
          retries: 4,
          retryBackoff: { initialSeconds: 2, coefficient: 3, maxSeconds: 30 },
        }),
      ]),
    );
    expect(plan.tasks[0]!.retry).toEqual({
      maximumAttempts: 5,
      initialIntervalMs: 2000,
      backoffCoefficient: 3,
      maximumIntervalMs: 30_000,
    });
  });
});

describe('rule 6: maxParallel and file order', () => {
  const roots = ['e', 'd', 'c', 'b', 'a'];

  it('runs at most maxParallel tasks at once, ties in the file order', () => {
    const plan = planOf(
      job(
        roots.map((id) => task(id)),
        [],
        { settings: { maxParallel: 2 } },
      ),
    );
    const machine = new RunMachine(plan);
    expect(machine.startReady()).toEqual([0, 1]);
    expect(machine.startReady()).toEqual([]);
    machine.finish(1, 'succeeded');
    expect(machine.startReady()).toEqual([2]);
    expect(machine.runningCount).toBe(2);
  });

  it('starts tasks in file order in the simulation, not by id', () => {
    const simulation = run(
      job(
        roots.map((id) => task(id)),
        [],
        { settings: { maxParallel: 1 } },
      ),
    );
    expect(simulation.order).toEqual(roots);
  });

  it('starts a task made ready later after earlier-listed ready tasks', () => {
    const simulation = run(
      job(
        [task('slow', { retries: 1 }), task('late'), task('x'), task('y')],
        [edge('slow', 'late')],
        { settings: { maxParallel: 2 } },
      ),
      { slow: 1 },
    );
    expect(simulation.order).toEqual(['slow', 'x', 'y', 'late']);
  });
});

describe('rule 7: outcome', () => {
  it('fails the run when a task fails unhandled', () => {
    expect(run(job([task('a'), task('b')]), { a: ALWAYS_FAILS }).outcome).toBe('failed');
  });

  it('succeeds when the failed task has ignoreFailure', () => {
    const simulation = run(job([task('a', { ignoreFailure: true })]), { a: ALWAYS_FAILS });
    expect(simulation).toMatchObject({ outcome: 'succeeded', tasks: { a: { state: 'failed' } } });
  });

  it('succeeds when a failure edge handles the failure', () => {
    const graph = job([task('a'), task('handler')], [edge('a', 'handler', 'failure')]);
    expect(run(graph, { a: ALWAYS_FAILS }).outcome).toBe('succeeded');
  });

  it('fails when the handler itself fails', () => {
    const graph = job([task('a'), task('handler')], [edge('a', 'handler', 'failure')]);
    expect(run(graph, { a: ALWAYS_FAILS, handler: ALWAYS_FAILS }).outcome).toBe('failed');
  });

  it('does not count an always edge as handling a failure', () => {
    const graph = job([task('a'), task('cleanup')], [edge('a', 'cleanup', 'always')]);
    const simulation = run(graph, { a: ALWAYS_FAILS });
    expect(simulation).toMatchObject({
      outcome: 'failed',
      tasks: { cleanup: { state: 'succeeded' } },
    });
  });

  it('names how each failure is taken: ignored wins over handled, else it fails the run', () => {
    expect(failureHandling(true, true)).toBe('ignored');
    expect(failureHandling(true, false)).toBe('ignored');
    expect(failureHandling(false, true)).toBe('handled');
    expect(failureHandling(false, false)).toBe('fails-run');
  });

  it('succeeds when tasks were only skipped', () => {
    const graph = job([task('a'), task('b')], [edge('a', 'b', 'failure')]);
    expect(run(graph)).toMatchObject({ outcome: 'succeeded', tasks: { b: { state: 'skipped' } } });
  });

  it('reports running until every task is final', () => {
    const machine = new RunMachine(planOf(job([task('a')])));
    expect(machine.outcome).toBe('running');
    machine.startReady();
    machine.finish(0, 'succeeded');
    expect(machine.outcome).toBe('succeeded');
  });
});

describe('rule 7: cancellation', () => {
  const plan = planOf(
    job([task('a'), task('b'), task('c'), task('d')], [edge('a', 'c'), edge('b', 'd')], {
      settings: { maxParallel: 1 },
    }),
  );

  it('ends running tasks cancelled and never-started tasks skipped', () => {
    const machine = new RunMachine(plan);
    machine.startReady();
    machine.finish(0, 'succeeded');
    expect(machine.startReady()).toEqual([1]);
    machine.cancel();
    expect(machine.snapshot().states).toEqual(['succeeded', 'cancelled', 'skipped', 'skipped']);
    expect(machine.outcome).toBe('cancelled');
    expect(machine.isFinished).toBe(true);
  });

  it('starts nothing after a cancel and ignores the late result of a cancelled task', () => {
    const machine = new RunMachine(plan);
    machine.startReady();
    machine.cancel();
    expect(machine.startReady()).toEqual([]);
    machine.finish(0, 'succeeded');
    expect(machine.state(0)).toBe('cancelled');
  });

  it('leaves a finished run alone', () => {
    const machine = new RunMachine(planOf(job([task('a')])));
    machine.startReady();
    machine.finish(0, 'failed');
    machine.cancel();
    expect(machine.outcome).toBe('failed');
  });
});

describe('snapshots', () => {
  it('resumes from a snapshot exactly where the machine stood', () => {
    const plan = planOf(
      job(
        [task('a'), task('b'), task('c'), task('d', { join: 'any' })],
        [edge('a', 'b'), edge('a', 'c', 'failure'), edge('b', 'd'), edge('c', 'd')],
      ),
    );
    const first = new RunMachine(plan);
    first.startReady();
    first.finish(0, 'succeeded');
    const second = new RunMachine(plan, first.snapshot());
    expect(second.snapshot()).toEqual(first.snapshot());
    expect(second.startReady()).toEqual(first.startReady());
    second.finish(1, 'succeeded');
    expect(second.startReady()).toEqual([3]);
    second.finish(3, 'succeeded');
    expect(second.outcome).toBe('succeeded');
  });

  it('rejects a snapshot of another plan and finishing a task that is not running', () => {
    const plan = planOf(job([task('a'), task('b')]));
    expect(() => new RunMachine(plan, { states: ['pending'], cancelled: false })).toThrow(
      /snapshot/,
    );
    expect(() => new RunMachine(plan).finish(0, 'succeeded')).toThrow(/'a' is pending/);
  });

  it('knows every task state', () => {
    expect(taskStates).toEqual([
      'pending',
      'running',
      'succeeded',
      'failed',
      'skipped',
      'cancelled',
    ]);
  });
});
