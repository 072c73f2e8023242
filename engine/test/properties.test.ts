/**
 * Property-based tests: random DAGs against a deliberately naive reference of DESIGN.md's rules,
 * random drivers of the machine, validateJob on random input, and the Temporal calendars of random
 * cron expressions against cron-parser's own iteration.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileJob } from '../src/compile';
import type { Plan } from '../src/plan';
import { problemCodes } from '../src/problems';
import {
  cronExpressionProblem,
  nextRuns,
  scheduleSchema,
  temporalDaysOfWeek,
  temporalMonths,
  toTemporalScheduleSpec,
  type TemporalCalendarField,
  type TemporalCalendarSpec,
} from '../src/schedule';
import type { EdgeKind, JobInput, JoinKind } from '../src/schema';
import { isFinal, RunMachine, type TaskState } from '../src/semantics';
import { simulate, type Simulation } from '../src/simulate';
import { validateJob } from '../src/validate';
import { planOf } from './helpers';

// ---------------------------------------------------------------- random jobs

interface RandomCase {
  job: JobInput;
  failures: Record<string, number>;
}

/** Ids that trip up code using plain objects as maps. */
const trickyIds = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

const randomCase: fc.Arbitrary<RandomCase> = fc
  .record({ size: fc.integer({ min: 1, max: 9 }), tricky: fc.boolean() })
  .chain(({ size, tricky }) =>
    fc.record({
      size: fc.constant(size),
      ids: fc.constant(
        Array.from({ length: size }, (_, i) =>
          tricky && i < trickyIds.length ? trickyIds[i]! : `t${i}`,
        ),
      ),
      // A random topological rank per task: edges only go from lower to higher rank.
      rank: fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
      edges: fc.array(
        fc.tuple(
          fc.nat(size - 1),
          fc.nat(size - 1),
          fc.constantFrom<EdgeKind>('success', 'failure', 'always'),
        ),
        { maxLength: size * 3 },
      ),
      tasks: fc.array(
        fc.record({
          join: fc.constantFrom<JoinKind>('all', 'any'),
          retries: fc.nat(2),
          ignoreFailure: fc.boolean(),
          failing: fc.oneof(fc.constant(0), fc.nat(3), fc.constant(Infinity)),
        }),
        { minLength: size, maxLength: size },
      ),
      maxParallel: fc.integer({ min: 1, max: 4 }),
    }),
  )
  .map(({ ids, rank, edges, tasks, maxParallel }) => {
    const seen = new Set<string>();
    const jobEdges = edges
      .filter(([from, to]) => rank[from]! < rank[to]!)
      .map(([from, to, on]) => ({ from: ids[from]!, to: ids[to]!, on }))
      .filter((edge) => {
        const key = `${edge.from}>${edge.to}>${edge.on}`;
        return !seen.has(key) && seen.add(key);
      });
    const job: JobInput = {
      formatVersion: 1,
      name: 'random',
      tasks: tasks.map(({ join, retries, ignoreFailure }, i) => ({
        id: ids[i]!,
        type: 'delay',
        params: { seconds: 0 },
        join,
        retries,
        ignoreFailure,
      })),
      edges: jobEdges,
      settings: { maxParallel },
    };
    // fromEntries, not a literal: a task may be called "__proto__".
    const failures = Object.fromEntries(
      tasks.flatMap(({ failing }, i) => (failing > 0 ? [[ids[i]!, failing] as const] : [])),
    );
    return { job, failures };
  });

// ---------------------------------------------------------------- naive reference

/**
 * DESIGN.md's rules read literally: after every step, re-derive every pending task's fate from its
 * parents' states until nothing changes; no counters, no heap, no incremental bookkeeping.
 */
function referenceRun(plan: Plan, failures: Record<string, number>): Simulation {
  const size = plan.tasks.length;
  const state: TaskState[] = Array.from({ length: size }, () => 'pending');
  const attempts: number[] = Array.from({ length: size }, () => 0);
  const endsAt: number[] = Array.from({ length: size }, () => -1);
  const result: TaskState[] = Array.from({ length: size }, () => 'pending');
  const order: string[] = [];
  const parentsOf = (task: number) => plan.edges.filter((edge) => edge.to === task);
  const edgeHolds = (on: EdgeKind, source: TaskState) =>
    (on === 'success' && source === 'succeeded') ||
    (on === 'failure' && source === 'failed') ||
    (on === 'always' && (source === 'succeeded' || source === 'failed'));
  const finished = (source: TaskState) => source !== 'pending' && source !== 'running';
  const mayStart = (task: number) => {
    const parents = parentsOf(task);
    if (parents.length === 0) return true;
    const held = parents.filter((edge) => edgeHolds(edge.on, state[edge.from]!));
    return plan.tasks[task]!.join === 'any' ? held.length > 0 : held.length === parents.length;
  };
  const neverStarts = (task: number) => {
    const parents = parentsOf(task);
    if (parents.length === 0) return false;
    const dead = parents.filter(
      (edge) => finished(state[edge.from]!) && !edgeHolds(edge.on, state[edge.from]!),
    );
    return plan.tasks[task]!.join === 'any' ? dead.length === parents.length : dead.length > 0;
  };
  const settle = () => {
    for (let changed = true; changed;) {
      changed = false;
      for (let task = 0; task < size; task++) {
        if (state[task] === 'pending' && !mayStart(task) && neverStarts(task)) {
          state[task] = 'skipped';
          changed = true;
        }
      }
    }
  };
  const startReady = (now: number) => {
    for (let task = 0; task < size; task++) {
      const running = state.filter((s) => s === 'running').length;
      if (running >= plan.maxParallel) return;
      if (state[task] !== 'pending' || !mayStart(task)) continue;
      state[task] = 'running';
      order.push(plan.tasks[task]!.id);
      const id = plan.tasks[task]!.id;
      const failing = Object.hasOwn(failures, id) ? failures[id]! : 0;
      let attempt = 0;
      let outcome: TaskState = 'failed';
      while (attempt < plan.tasks[task]!.retry.maximumAttempts) {
        attempt += 1;
        if (attempt > failing) {
          outcome = 'succeeded';
          break;
        }
      }
      attempts[task] = attempt;
      result[task] = outcome;
      endsAt[task] = now + attempt;
    }
  };
  settle();
  startReady(0);
  for (let now = 1; state.some((s) => !finished(s)); now++) {
    if (!state.includes('running')) throw new Error('reference deadlocked');
    for (let task = 0; task < size; task++) {
      if (state[task] === 'running' && endsAt[task] === now) state[task] = result[task]!;
    }
    settle();
    startReady(now);
  }
  const handled = (task: number) => plan.edges.some((e) => e.from === task && e.on === 'failure');
  const failed = state.some(
    (s, task) => s === 'failed' && !plan.tasks[task]!.ignoreFailure && !handled(task),
  );
  return {
    outcome: failed ? 'failed' : 'succeeded',
    tasks: Object.fromEntries(
      plan.tasks.map((task, i) => [task.id, { state: state[i]!, attempts: attempts[i]! }]),
    ),
    order,
  };
}

describe('random DAGs', () => {
  it('simulate terminates with every task final and matches the naive reference', () => {
    fc.assert(
      fc.property(randomCase, ({ job, failures }) => {
        const plan = planOf(job);
        const simulation = simulate(plan, failures);
        for (const { state } of Object.values(simulation.tasks)) expect(isFinal(state)).toBe(true);
        expect(Object.keys(simulation.tasks)).toHaveLength(plan.tasks.length);
        expect(simulation).toEqual(referenceRun(plan, failures));
      }),
      { numRuns: 400 },
    );
  });

  it('never deadlocks or exceeds maxParallel under any finishing order, and every end state follows the rules', () => {
    fc.assert(
      fc.property(
        randomCase,
        fc.infiniteStream(fc.nat()),
        fc.infiniteStream(fc.boolean()),
        ({ job }, picks, outcomes) => {
          const plan = planOf(job);
          const machine = new RunMachine(plan);
          const running = new Set(machine.startReady());
          const pick = picks[Symbol.iterator]();
          const succeed = outcomes[Symbol.iterator]();
          while (!machine.isFinished) {
            expect(running.size).toBeGreaterThan(0);
            expect(running.size).toBeLessThanOrEqual(plan.maxParallel);
            const task = [...running][pick.next().value % running.size]!;
            running.delete(task);
            machine.finish(task, succeed.next().value ? 'succeeded' : 'failed');
            for (const started of machine.startReady()) running.add(started);
          }
          const states = machine.snapshot().states;
          plan.tasks.forEach((task, index) => {
            const parents = plan.edges.filter((edge) => edge.to === index);
            const held = parents.filter((edge) => {
              const source = states[edge.from]!;
              return edge.on === 'always'
                ? source === 'succeeded' || source === 'failed'
                : source === (edge.on === 'success' ? 'succeeded' : 'failed');
            });
            const couldStart =
              parents.length === 0 ||
              (task.join === 'any' ? held.length > 0 : held.length === parents.length);
            expect(states[index] === 'skipped').toBe(!couldStart);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------- validateJob never throws

function expectProblemsWellFormed(input: unknown): void {
  const result = validateJob(input);
  const problems = result.ok ? result.warnings : [...result.errors, ...result.warnings];
  if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(problem.path).toMatch(/^\$/);
    expect(problemCodes).toContain(problem.code);
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

/** Every path into a value, for mutating one place of a valid job. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
}

function mutate(
  document: unknown,
  path: (string | number)[],
  value: unknown,
  remove: boolean,
): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (remove) Reflect.deleteProperty(parent, last);
  else
    Object.defineProperty(parent, last, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

describe('validateJob on random input', () => {
  it('never throws and returns $-paths for anything', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
        }),
        expectProblemsWellFormed,
      ),
      { numRuns: 300 },
    );
  });

  it('reads any JSON without an internal error', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const result = validateJob(JSON.parse(text));
        expectProblemsWellFormed(JSON.parse(text));
        if (!result.ok) {
          for (const problem of result.errors)
            expect(problem.message).not.toMatch(/could not be read/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('handles mutated valid jobs: never throws, and valid results compile and simulate', () => {
    fc.assert(
      fc.property(
        randomCase,
        fc.nat(),
        fc.oneof(
          fc.jsonValue(),
          fc.constantFrom('', -1, 1.5, 'x', null, [], {}, '{{ tasks.t0.output }}'),
        ),
        fc.boolean(),
        ({ job }, at, value, remove) => {
          const paths = pathsOf(job);
          const mutated = mutate(job, paths[at % paths.length]!, value, remove);
          expectProblemsWellFormed(mutated);
          const compiled = compileJob(mutated);
          if (compiled.ok) expect(simulate(compiled.plan, {}).outcome).toMatch(/succeeded|failed/);
        },
      ),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------- cron → Temporal calendars

const cronField = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min: 1, max: Math.min(max, 15) }).map((step) => `*/${step}`),
    fc
      .tuple(fc.integer({ min, max }), fc.integer({ min, max }), fc.integer({ min: 1, max: 5 }))
      .map(([a, b, step]) => `${Math.min(a, b)}-${Math.max(a, b)}${step > 1 ? `/${step}` : ''}`),
    fc
      .uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 })
      .map((values) => values.join(',')),
  );

const randomCron = fc
  .tuple(
    fc.boolean(),
    cronField(0, 59),
    cronField(0, 59),
    cronField(0, 23),
    cronField(1, 28),
    cronField(1, 12),
    cronField(0, 7),
  )
  .map(([withSeconds, second, minute, hour, day, month, weekday]) =>
    [...(withSeconds ? [second] : []), minute, hour, day, month, weekday].join(' '),
  );

function fieldValues<Unit>(
  field: TemporalCalendarField<Unit> | undefined,
  all: readonly Unit[],
  toNumber: (unit: Unit) => number,
): Set<number> {
  if (field === undefined || field === '*') return new Set(all.map(toNumber));
  const values = new Set<number>();
  for (const { start, end, step } of field) {
    for (let value = toNumber(start); value <= toNumber(end); value += step) values.add(value);
  }
  return values;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A CalendarSpec matched the plain way: every field must hold (UTC). */
function calendarRuns(calendars: TemporalCalendarSpec[], after: number, count: number): number[] {
  const runs: number[] = [];
  const firstDay = Date.UTC(
    new Date(after).getUTCFullYear(),
    new Date(after).getUTCMonth(),
    new Date(after).getUTCDate(),
  );
  for (const calendar of calendars) {
    const seconds = [...fieldValues(calendar.second, range(0, 59), Number)].sort((a, b) => a - b);
    const minutes = [...fieldValues(calendar.minute, range(0, 59), Number)].sort((a, b) => a - b);
    const hours = [...fieldValues(calendar.hour, range(0, 23), Number)].sort((a, b) => a - b);
    const days = fieldValues(calendar.dayOfMonth, range(1, 31), Number);
    const months = fieldValues(
      calendar.month,
      temporalMonths,
      (m) => temporalMonths.indexOf(m) + 1,
    );
    const weekdays = fieldValues(calendar.dayOfWeek, temporalDaysOfWeek, (d) =>
      temporalDaysOfWeek.indexOf(d),
    );
    let found = 0;
    for (
      let day = firstDay;
      // The sparsest cron fires once a year, so `count` runs need at most count + 1 years.
      found < count && day < firstDay + (count + 1) * 366 * 86_400_000;
      day += 86_400_000
    ) {
      const date = new Date(day);
      if (
        !days.has(date.getUTCDate()) ||
        !months.has(date.getUTCMonth() + 1) ||
        !weekdays.has(date.getUTCDay())
      )
        continue;
      for (const hour of hours)
        for (const minute of minutes)
          for (const second of seconds) {
            const at = day + ((hour * 60 + minute) * 60 + second) * 1000;
            if (at > after && found < count) {
              runs.push(at);
              found += 1;
            }
          }
    }
  }
  return [...new Set(runs)].sort((a, b) => a - b).slice(0, count);
}

describe('cron schedules as Temporal calendars', () => {
  it('fire exactly when cron-parser says the expression fires', () => {
    fc.assert(
      fc.property(
        randomCron,
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2030-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (cron, from) => {
          fc.pre(cronExpressionProblem(cron) === undefined);
          const schedule = scheduleSchema.parse({ cron });
          const expected = nextRuns(schedule, 8, from).map((run) => Date.parse(run));
          const { calendars = [] } = toTemporalScheduleSpec(schedule);
          expect(calendarRuns(calendars, from.getTime(), 8)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
