/** DESIGN.md rule 8 and the job format: every error with its code, its path and a sentence. */
import { describe, expect, it } from 'vitest';
import { compile, compileJob, DEFAULT_TASK_QUEUE } from '../src/compile';
import { resolveRunInput } from '../src/inputs';
import { jsonPath, problemCodes, type Problem } from '../src/problems';
import { jobSchema } from '../src/schema';
import { validateJob } from '../src/validate';
import { edge, job, task } from './helpers';

function errorsOf(input: unknown): Problem[] {
  const result = validateJob(input);
  if (result.ok) throw new Error('expected the job to be invalid');
  return result.errors;
}

function only(input: unknown): Problem {
  const errors = errorsOf(input);
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe('rule 8: what validation rejects', () => {
  it('a cycle, naming the tasks around it', () => {
    const problem = only(
      job([task('a'), task('b'), task('c')], [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')]),
    );
    expect(problem).toMatchObject({ code: 'cycle', path: '$.edges[2]' });
    expect(problem.message).toContain("'a' → 'b' → 'c' → 'a'");
  });

  it('an edge from or to an unknown task', () => {
    const errors = errorsOf(job([task('a')], [edge('ghost', 'a'), edge('a', 'nowhere')]));
    expect(errors).toEqual([
      expect.objectContaining({ code: 'unknown_task', path: '$.edges[0].from' }),
      expect.objectContaining({ code: 'unknown_task', path: '$.edges[1].to' }),
    ]);
    expect(errors[0]!.message).toContain("'ghost'");
    expect(errors[1]!.message).toContain("'nowhere'");
  });

  it('a duplicate task id', () => {
    const problem = only(job([task('a'), task('b'), task('a')]));
    expect(problem).toMatchObject({ code: 'duplicate_task_id', path: '$.tasks[2].id' });
    expect(problem.message).toContain("'a'");
  });

  it('a self-loop', () => {
    const problem = only(job([task('a')], [edge('a', 'a')]));
    expect(problem).toMatchObject({ code: 'self_loop', path: '$.edges[0]' });
    expect(problem.message).toContain("task 'a'");
  });

  it('a duplicate edge (same ends and kind)', () => {
    const problem = only(job([task('a'), task('b')], [edge('a', 'b'), edge('a', 'b')]));
    expect(problem).toMatchObject({ code: 'duplicate_edge', path: '$.edges[1]' });
    expect(problem.message).toContain('repeats edge 1');
  });

  it('accepts two edges between the same tasks of different kinds', () => {
    const result = validateJob(
      job(
        [task('a'), task('b', { join: 'any' })],
        [edge('a', 'b', 'success'), edge('a', 'b', 'failure')],
      ),
    );
    expect(result.ok).toBe(true);
  });

  it('an unknown task type', () => {
    const problem = only(job([{ id: 'a', type: 'teleport', params: {} } as never]));
    expect(problem).toMatchObject({ code: 'unknown_task_type', path: '$.tasks[0].type' });
    expect(problem.message).toMatch(/^Task 'a': "teleport" is not a task type; use one of http/);
  });

  it('params that fail the task type’s schema', () => {
    const problem = only(
      job([{ id: 'fetch', type: 'http', params: { url: 'ftp://example.com' } } as never]),
    );
    expect(problem).toMatchObject({ path: '$.tasks[0].params.url', code: 'invalid_value' });
    expect(problem.message).toBe(
      "Task 'fetch': params.url must be an absolute http:// or https:// URL (or a {{ template }}).",
    );
  });

  it('a missing required param', () => {
    const problem = only(job([{ id: 'wait', type: 'delay', params: {} } as never]));
    expect(problem).toMatchObject({ path: '$.tasks[0].params.seconds', code: 'required' });
    expect(problem.message).toBe("Task 'wait': params.seconds is required.");
  });

  it('negative retries', () => {
    const problem = only(job([task('a', { retries: -1 })]));
    expect(problem).toMatchObject({ code: 'too_small', path: '$.tasks[0].retries' });
    expect(problem.message).toBe("Task 'a': retries must be at least 0.");
  });

  it('non-integer retries', () => {
    const problem = only(job([task('a', { retries: 1.5 })]));
    expect(problem).toMatchObject({ code: 'invalid_type', path: '$.tasks[0].retries' });
    expect(problem.message).toBe("Task 'a': retries must be a whole number, not number 1.5.");
  });

  it('retries of the wrong type, saying what was given', () => {
    const problem = only(job([task('a', { retries: '2' as never })]));
    expect(problem.message).toBe('Task \'a\': retries must be a number, not string "2".');
  });

  it('an invalid cron expression', () => {
    const problem = only(job([task('a')], [], { schedule: { cron: '61 * * * *' } }));
    expect(problem).toMatchObject({ code: 'invalid_cron', path: '$.schedule.cron' });
    expect(problem.message).toContain('"61 * * * *"');
  });

  it.each(['Mars/Olympus', 'Europe/Berlinn', ''])('an invalid time zone %j', (timezone) => {
    const problem = only(job([task('a')], [], { schedule: { cron: '0 2 * * *', timezone } }));
    expect(problem).toMatchObject({ code: 'invalid_timezone', path: '$.schedule.timezone' });
  });

  it('an invalid time zone on a preset or an interval schedule, too', () => {
    for (const kind of [
      { preset: { kind: 'daily', time: '02:00' } },
      { interval: { every: 5, start: '2026-01-01T00:00:00Z' } },
    ] as const) {
      const problem = only(
        job([task('a')], [], { schedule: { ...kind, timezone: 'Nowhere/City' } }),
      );
      expect(problem).toMatchObject({ code: 'invalid_timezone', path: '$.schedule.timezone' });
    }
  });

  it('an invalid time zone even when other schedule fields are wrong too', () => {
    const errors = errorsOf(
      job([task('a')], [], {
        schedule: { cron: '0 2 * * *', timezone: 'Nowhere/City', overlap: 'sometimes' as never },
      }),
    );
    expect(errors.map((problem) => problem.path)).toEqual([
      '$.schedule.timezone',
      '$.schedule.overlap',
    ]);
  });

  it('a job with no tasks', () => {
    expect(only(job([]))).toEqual({
      path: '$.tasks',
      code: 'no_tasks',
      message: 'The job has no tasks; add at least one.',
    });
  });

  it('reports every problem at once', () => {
    const errors = errorsOf(
      job([task('a', { retries: -2 }), task('a')], [edge('a', 'missing'), edge('a', 'a')]),
    );
    expect(errors.map((problem) => problem.code).sort()).toEqual([
      'duplicate_task_id',
      'self_loop',
      'too_small',
      'unknown_task',
    ]);
  });
});

describe('unknown fields are errors, not silently dropped', () => {
  it.each([
    ['the job', { ...job([task('a')]), owner: 'me' }, '$.owner'],
    ['a task', job([task('a', { colour: 'red' } as never)]), '$.tasks[0].colour'],
    [
      'params',
      job([{ id: 'a', type: 'delay', params: { seconds: 1, ms: 5 } } as never]),
      '$.tasks[0].params.ms',
    ],
    [
      'an edge',
      job([task('a'), task('b')], [{ ...edge('a', 'b'), label: 'x' } as never]),
      '$.edges[0].label',
    ],
    [
      'settings',
      job([task('a')], [], { settings: { parallel: 3 } as never }),
      '$.settings.parallel',
    ],
    [
      'the schedule',
      job([task('a')], [], { schedule: { cron: '0 2 * * *', tz: 'UTC' } as never }),
      '$.schedule.tz',
    ],
  ])('in %s', (_, input, path) => {
    const problem = only(input);
    expect(problem).toMatchObject({ code: 'unknown_field', path });
    expect(problem.message).toMatch(/is not a known field/);
  });
});

describe('problem messages', () => {
  it('name the task they are about', () => {
    const errors = errorsOf(
      job([
        task('first'),
        { id: 'second', type: 'http', params: { method: 'FETCH', url: 'https://x' } } as never,
      ]),
    );
    expect(errors).toEqual([
      expect.objectContaining({ path: '$.tasks[1].params.method', code: 'invalid_value' }),
    ]);
    expect(errors[0]!.message).toMatch(/^Task 'second': params.method must be one of "GET"/);
  });

  it('name the edge they are about', () => {
    const problem = only(
      job([task('a'), task('b')], [{ from: 'a', to: 'b', on: 'sometimes' } as never]),
    );
    expect(problem).toMatchObject({ path: '$.edges[0].on', code: 'invalid_value' });
    expect(problem.message).toMatch(/^Edge 1 \(a → b\): on must be one of "success"/);
  });

  it('use only known codes and $-paths', () => {
    const errors = errorsOf({ formatVersion: 2, name: '', tasks: 'many', extra: true });
    for (const problem of errors) {
      expect(problemCodes).toContain(problem.code);
      expect(problem.path).toMatch(/^\$/);
      expect(problem.message).toMatch(/\.$/);
    }
    expect(errors.map((problem) => problem.code)).toEqual([
      'unsupported_format_version',
      'too_small',
      'invalid_type',
      'unknown_field',
    ]);
  });

  it('has a code for unreadable files', () => {
    expect(problemCodes).toContain('invalid_json');
  });

  it('builds JSON paths', () => {
    expect(jsonPath(['tasks', 2, 'params', 'url'])).toBe('$.tasks[2].params.url');
    expect(jsonPath(['params', 'headers', 'X-Run'])).toBe('$.params.headers["X-Run"]');
    expect(jsonPath([])).toBe('$');
  });
});

describe('warnings', () => {
  it('warn about a task that can never run, without failing validation', () => {
    const result = validateJob(
      job([task('a'), task('b')], [edge('a', 'b', 'success'), edge('a', 'b', 'failure')]),
    );
    expect(result).toMatchObject({
      ok: true,
      warnings: [{ code: 'never_runs', path: '$.tasks[1]' }],
    });
    expect(result.warnings[0]!.message).toContain("Task 'b' can never run");
  });

  it('warn about the tasks behind it as well', () => {
    const result = validateJob(
      job(
        [task('a'), task('b'), task('c'), task('d', { join: 'any' })],
        [edge('a', 'b', 'success'), edge('a', 'b', 'failure'), edge('b', 'c'), edge('b', 'd')],
      ),
    );
    expect(result.warnings.map((warning) => warning.path)).toEqual([
      '$.tasks[1]',
      '$.tasks[2]',
      '$.tasks[3]',
    ]);
  });
});

describe('templates in params', () => {
  const http = (id: string, url: string) => ({ id, type: 'http', params: { url } }) as never;

  it('accept references to upstream tasks, the input and the run', () => {
    const result = validateJob(
      job(
        [
          task('a'),
          task('b'),
          http('c', 'https://x/{{ tasks.a.output.id }}?run={{ run.id }}&q={{ input.q }}'),
        ],
        [edge('a', 'b'), edge('b', 'c')],
        { inputs: [{ name: 'q', type: 'string' }] },
      ),
    );
    expect(result.ok).toBe(true);
  });

  it('reject an input the job does not declare, naming the declared ones', () => {
    const problem = only(
      job([http('a', 'https://x/{{ input.devices }}')], [], {
        inputs: [{ name: 'payload', type: 'object' }],
      }),
    );
    expect(problem).toMatchObject({
      code: 'template_unknown_input',
      path: '$.tasks[0].params.url',
    });
    expect(problem.message).toContain('"devices"');
    expect(problem.message).toContain('"payload"');
    expect(only(job([http('a', 'https://x/{{ input.q }}')])).message).toContain(
      'declares no inputs',
    );
  });

  it('reject unknown fields of run, of a task and of an output whose shape is known', () => {
    const first = (url: string) => job([task('a'), http('b', url)], [edge('a', 'b')]);
    expect(only(first('https://x/{{ run.status }}'))).toMatchObject({
      code: 'template_unknown_field',
      path: '$.tasks[1].params.url',
    });
    expect(only(first('https://x/{{ run.status }}')).message).toContain('"startedAt"');
    expect(only(first('https://x/{{ tasks.a.result }}')).code).toBe('template_unknown_field');
    const fromHttp = job(
      [http('a', 'https://x/'), http('b', 'https://x/{{ tasks.a.output.json.id }}')],
      [edge('a', 'b')],
    );
    expect(only(fromHttp).message).toContain('has no field "json"');
    const bodyField = job(
      [http('a', 'https://x/'), http('b', 'https://x/{{ tasks.a.output.body.id }}')],
      [edge('a', 'b')],
    );
    expect(validateJob(bodyField).ok).toBe(true);
    // A delay's output has no fixed shape, so any field of it is left to the run.
    expect(validateJob(first('https://x/{{ tasks.a.output.anything }}')).ok).toBe(true);
  });

  it('reject a reference to a task that is not upstream', () => {
    const problem = only(job([task('a'), http('b', 'https://x/{{ tasks.a.output.id }}')]));
    expect(problem).toMatchObject({ code: 'template_not_upstream', path: '$.tasks[1].params.url' });
    expect(problem.message).toContain("Task 'b'");
  });

  it('reject a reference to the task itself or to an unknown task', () => {
    expect(only(job([http('a', 'https://x/{{ tasks.a.output }}')])).code).toBe(
      'template_not_upstream',
    );
    expect(only(job([http('a', 'https://x/{{ tasks.zz.output }}')])).code).toBe(
      'template_unknown_task',
    );
  });

  it('reject malformed templates and item outside foreach', () => {
    expect(only(job([http('a', 'https://x/{{ 1 + 1 }}')])).code).toBe('invalid_template');
    expect(only(job([http('a', 'https://x/{{ item.id }}')])).code).toBe(
      'template_item_outside_foreach',
    );
  });

  it('accept {{ item }} in the per-item task of a foreach', () => {
    const result = validateJob(
      job([
        {
          id: 'each',
          type: 'foreach',
          params: {
            items: [1, 2],
            task: { type: 'http', params: { url: 'https://x/{{ item }}' } },
          },
        } as never,
      ]),
    );
    expect(result.ok).toBe(true);
  });
});

describe('declared inputs', () => {
  const reader = (inputs: unknown, schedule?: unknown) =>
    job([{ id: 'a', type: 'http', params: { url: 'https://x/{{ input.n }}' } } as never], [], {
      inputs: inputs as never,
      ...(schedule ? { schedule: schedule as never } : {}),
    });

  it('reject a duplicate name and a default of the wrong type', () => {
    const result = validateJob(
      reader([
        { name: 'n', type: 'integer', default: 1.5 },
        { name: 'n', type: 'string' },
      ]),
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((error) => [error.path, error.code])).toEqual([
      ['$.inputs[0].default', 'invalid_input_default'],
      ['$.inputs[1].name', 'duplicate_input'],
    ]);
  });

  it("check the schedule's input against the declarations", () => {
    const schedule = { cron: '0 2 * * *', input: { n: 'seven', extra: 1 } };
    const result = validateJob(reader([{ name: 'n', type: 'number' }], schedule));
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((error) => [error.path, error.code])).toEqual([
      ['$.schedule.input.n', 'invalid_type'],
      ['$.schedule.input.extra', 'unknown_input'],
    ]);
  });

  it('fill in defaults and report every bad value with its JSON path', () => {
    const declarations = [
      { name: 'devices', type: 'array', required: true },
      { name: 'payload', type: 'object', default: { ntp: true } },
      { name: 'dryRun', type: 'boolean' },
    ] as const;
    expect(resolveRunInput([...declarations], { devices: ['r1'] })).toEqual({
      ok: true,
      input: { devices: ['r1'], payload: { ntp: true } },
    });
    const bad = resolveRunInput([...declarations], { devices: 'r1', dryRun: 'yes', x: 1 });
    expect(bad.ok).toBe(false);
    const errors = bad.ok ? [] : bad.errors;
    expect(errors.map((error) => error.path).sort()).toEqual([
      '$.input.devices',
      '$.input.dryRun',
      '$.input.x',
    ]);
    expect(errors.find((error) => error.path === '$.input.devices')?.message).toContain(
      'must be an array',
    );
    const missing = resolveRunInput([...declarations], {});
    expect(missing.ok ? [] : missing.errors).toMatchObject([
      { path: '$.input.devices', code: 'required' },
    ]);
  });
});

describe('compile', () => {
  it('resolves defaults and turns ids into indexes', () => {
    const result = compileJob(
      job(
        [task('a'), task('b', { join: 'any', timeoutSeconds: 5, taskQueue: 'gpu' })],
        [edge('a', 'b', 'always')],
      ),
      { jobId: 'j1', version: 3 },
    );
    if (!result.ok) throw new Error('expected a valid job');
    expect(result.plan).toMatchObject({
      planVersion: 1,
      job: { id: 'j1', name: 'test job', version: 3 },
      edges: [{ from: 0, to: 1, on: 'always' }],
      maxParallel: 10,
      taskQueue: DEFAULT_TASK_QUEUE,
    });
    expect(result.plan.tasks[1]).toMatchObject({ join: 'any', timeoutMs: 5000, taskQueue: 'gpu' });
    expect(result.plan.tasks[0]).toMatchObject({
      join: 'all',
      ignoreFailure: false,
      taskQueue: 'batchgraph',
    });
  });

  it('is what compileJob returns for a parsed job', () => {
    const input = job([task('a')]);
    const result = compileJob(input);
    expect(result.ok && result.plan).toEqual(compile(jobSchema.parse(input)));
  });
});

describe('params that would let a task act beyond its type', () => {
  const command = (env: Record<string, string>) =>
    job([{ id: 'cmd', type: 'command', params: { command: 'rsync', env } } as never]);

  it('refuses loader and shell variables in a command’s env, naming each', () => {
    const errors = errorsOf(
      command({
        PATH: '/tmp/evil',
        LD_PRELOAD: '/tmp/evil.so',
        DYLD_INSERT_LIBRARIES: 'x',
        NODE_OPTIONS: '--require /tmp/x.js',
        BASH_ENV: '/tmp/x',
        ENV: '/tmp/x',
        PYTHONPATH: '/tmp',
        'BAD NAME': 'x',
        REPORT_DATE: '2026-01-01',
      }),
    );
    expect(errors.map((problem) => problem.path).sort()).toEqual(
      [
        '$.tasks[0].params.env.PATH',
        '$.tasks[0].params.env.LD_PRELOAD',
        '$.tasks[0].params.env.DYLD_INSERT_LIBRARIES',
        '$.tasks[0].params.env.NODE_OPTIONS',
        '$.tasks[0].params.env.BASH_ENV',
        '$.tasks[0].params.env.ENV',
        '$.tasks[0].params.env.PYTHONPATH',
        '$.tasks[0].params.env["BAD NAME"]',
      ].sort(),
    );
    const ldPreload = errors.find((problem) => problem.path.endsWith('LD_PRELOAD'))!;
    expect(ldPreload.message).toContain('may not be set: LD_PRELOAD changes which program runs');
    expect(validateJob(command({ REPORT_DATE: '2026-01-01', path: 'x' })).ok).toBe(false);
    expect(validateJob(command({ REPORT_DATE: '2026-01-01' })).ok).toBe(true);
  });

  it('caps string params in length', () => {
    const problem = only(
      job([
        {
          id: 'call',
          type: 'http',
          params: { url: `https://x.example/${'a'.repeat(20_000)}` },
        } as never,
      ]),
    );
    expect(problem.path).toBe('$.tasks[0].params.url');
  });
});
