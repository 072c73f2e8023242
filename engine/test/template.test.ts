import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateJob } from '../src/validate';
import {
  collectTemplates,
  hasTemplate,
  parseExpression,
  renderTemplates,
  TemplateError,
} from '../src/template';

const scope = {
  input: { accounts: ['x', 'y'], name: 'Ada' },
  tasks: { find: { output: { body: { ids: [3, 4], 'odd key': 'odd' } }, state: 'succeeded' } },
  run: { id: 'job-1-20260101T000000Z' },
};

describe('renderTemplates', () => {
  it('yields the raw value for a string that is exactly one template', () => {
    expect(renderTemplates('{{ tasks.find.output.body.ids }}', scope)).toEqual([3, 4]);
    expect(renderTemplates('{{input.accounts}}', scope)).toEqual(['x', 'y']);
  });

  it('interpolates templates inside longer strings, JSON for non-strings', () => {
    expect(
      renderTemplates('Hi {{ input.name }}, ids {{ tasks.find.output.body.ids }}', scope),
    ).toBe('Hi Ada, ids [3,4]');
  });

  it('walks objects and arrays and leaves other values alone', () => {
    expect(
      renderTemplates(
        { url: 'https://x/{{ run.id }}', list: ['{{ tasks.find.output.body.ids[1] }}', 7, null] },
        scope,
      ),
    ).toEqual({ url: 'https://x/job-1-20260101T000000Z', list: [4, 7, null] });
  });

  it('reads quoted keys and indexes', () => {
    expect(renderTemplates('{{ tasks.find.output.body["odd key"] }}', scope)).toBe('odd');
    expect(renderTemplates('{{ input.accounts[0] }}', scope)).toBe('x');
  });

  it('keeps the roots it is told to keep', () => {
    expect(renderTemplates('{{ item.id }} of {{ run.id }}', scope, { keep: ['item'] })).toBe(
      '{{ item.id }} of job-1-20260101T000000Z',
    );
    expect(renderTemplates('{{ item }}', { item: { id: 1 } })).toEqual({ id: 1 });
  });

  it('throws a TemplateError naming the missing part and where it stands', () => {
    let error: unknown;
    try {
      renderTemplates({ headers: { auth: '{{ tasks.find.output.token }}' } }, scope);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toContain('tasks.find.output.token is not set');
    expect((error as TemplateError).location).toEqual(['headers', 'auth']);
  });

  it('does not read inherited properties', () => {
    expect(() => renderTemplates('{{ input.constructor }}', scope)).toThrow(TemplateError);
  });
});

describe('collectTemplates and parseExpression', () => {
  it('finds every template with its location', () => {
    const found = collectTemplates({
      a: ['{{ input.x }}', { b: 'x {{ tasks.t.output }} {{ run.id }}' }],
    });
    expect(found.map(({ root, path, location }) => ({ root, path, location }))).toEqual([
      { root: 'input', path: ['x'], location: ['a', 0] },
      { root: 'tasks', path: ['t', 'output'], location: ['a', 1, 'b'] },
      { root: 'run', path: ['id'], location: ['a', 1, 'b'] },
    ]);
  });

  it('prefixes the given location', () => {
    expect(collectTemplates('{{ input }}', ['params'])[0]!.location).toEqual(['params']);
  });

  it('rejects expressions that are not paths, or start elsewhere', () => {
    expect(() => parseExpression('1 + 1')).toThrow(/is not a path/);
    expect(() => parseExpression('env.SECRET')).toThrow(/must start with input, tasks, run, item/);
    expect(() => collectTemplates({ u: '{{ process.exit() }}' })).toThrow(TemplateError);
  });

  it('parses indexes and quoted keys', () => {
    expect(parseExpression('tasks.a.output["x y"][2]')).toEqual({
      root: 'tasks',
      path: ['a', 'output', 'x y', 2],
    });
  });

  it('tells strings with templates apart', () => {
    expect(hasTemplate('a {{ b }}')).toBe(true);
    expect(hasTemplate('a { b }')).toBe(false);
  });
});

describe('the template scanner', () => {
  // The regular expressions the scanner replaced: it must find exactly what they found.
  const TEMPLATE = /\{\{\s*(.*?)\s*\}\}/g;
  const HAS_TEMPLATE = /\{\{.*?\}\}/;
  const text = fc
    .array(fc.constantFrom('{', '}', '{{', '}}', ' ', '\n', 'input', '.', 'a', 'item'), {
      maxLength: 30,
    })
    .map((parts) => parts.join(''));
  const bySpelling = (value: string): string[] =>
    [...value.matchAll(TEMPLATE)].map((match) => match[1] ?? '');

  it('finds the same templates as the regular expression it replaced', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(hasTemplate(value)).toBe(HAS_TEMPLATE.test(value));
        const found = (() => {
          try {
            return collectTemplates(value).map((ref) => ref.expression);
          } catch (error) {
            return error instanceof TemplateError ? 'invalid' : 'crash';
          }
        })();
        const expected = (() => {
          try {
            bySpelling(value).forEach((expression) => parseExpression(expression));
            return bySpelling(value);
          } catch {
            return 'invalid';
          }
        })();
        expect(found).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('renders around templates as the regular expression did', () => {
    expect(renderTemplates('a {{ input.name }} b {{input.name}}', scope)).toBe('a Ada b Ada');
    expect(renderTemplates('{{ input.name }} {{ item }}', scope, { keep: ['item'] })).toBe(
      'Ada {{ item }}',
    );
    expect(renderTemplates('{{ input.name\n}}', scope)).toBe('Ada');
    expect(renderTemplates('{{ input\n.name }}', scope)).toBe('{{ input\n.name }}');
  });

  it('scans 32 KB of {{ in linear time: a job with it validates in well under 100 ms', () => {
    const job = {
      formatVersion: 1,
      name: 'braces',
      tasks: [
        {
          id: 'call',
          type: 'http',
          params: { url: 'https://x.example', method: 'POST', body: '{{'.repeat(16_384) },
        },
      ],
      edges: [],
    };
    validateJob(job); // warm up
    const started = performance.now();
    const result = validateJob(job);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(true);
    expect(elapsed).toBeLessThan(100);
    const open = '{{ input.a '.repeat(3000) + ' }}';
    const t0 = performance.now();
    expect(hasTemplate(open)).toBe(true);
    expect(() => collectTemplates(open)).toThrow(TemplateError);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
