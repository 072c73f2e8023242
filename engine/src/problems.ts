/**
 * Validation problems: each has a JSON path ($.tasks[2].params.url), a stable code a program can
 * switch on, and a sentence an analyst understands, naming the task or edge it is about.
 */
import type { core } from 'zod';
import type { PathSegment } from './template';

export const problemCodes = [
  'invalid_json',
  'required',
  'invalid_type',
  'invalid_value',
  'unknown_field',
  'too_small',
  'too_big',
  'invalid_format',
  'unsupported_format_version',
  'unknown_task_type',
  'no_tasks',
  'duplicate_task_id',
  'unknown_task',
  'self_loop',
  'duplicate_edge',
  'cycle',
  'invalid_cron',
  'invalid_timezone',
  'invalid_schedule',
  'invalid_template',
  'template_unknown_task',
  'template_not_upstream',
  'template_item_outside_foreach',
  'template_unknown_input',
  'template_unknown_field',
  'duplicate_input',
  'unknown_input',
  'invalid_input_default',
  'never_runs',
  'no_worker',
] as const;

export type ProblemCode = (typeof problemCodes)[number];

export interface Problem {
  path: string;
  code: ProblemCode;
  message: string;
}

/** `['tasks', 2, 'params', 'url']` → `$.tasks[2].params.url`. */
export function jsonPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>(
    (path, segment) =>
      typeof segment === 'number'
        ? `${path}[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(segment)
          ? `${path}.${segment}`
          : `${path}[${JSON.stringify(segment)}]`,
    '$',
  );
}

/** "Task 'find'" or "Edge 3 (find → load)": who a path is about, read from the raw job. */
export function subjectOf(job: unknown, segments: readonly PathSegment[]): string {
  const [collection, index] = segments;
  if (typeof index !== 'number') return 'The job';
  const item = readIndex(job, collection, index);
  if (collection === 'tasks') {
    const id = field(item, 'id');
    return typeof id === 'string' ? `Task '${id}'` : `Task ${index + 1}`;
  }
  if (collection === 'edges') {
    const from = field(item, 'from');
    const to = field(item, 'to');
    return typeof from === 'string' && typeof to === 'string'
      ? `Edge ${index + 1} (${from} → ${to})`
      : `Edge ${index + 1}`;
  }
  return 'The job';
}

/**
 * Turns one zod issue into problems (an unknown-keys issue names each key on its own). `subject`
 * is who the sentence is about; default the task or edge the path points into.
 */
export function problemsFromIssue(
  job: unknown,
  issue: core.$ZodIssue,
  subject = subjectOf(job, issue.path.filter(isPathSegment)),
): Problem[] {
  const segments = issue.path.filter(isPathSegment);
  const where = fieldName(segments);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: jsonPath([...segments, key]),
      code: 'unknown_field',
      message: `${subject}: "${key}" is not a known field${where ? ` of ${where}` : ''}.`,
    }));
  }
  // zod leaves `input` out of issues unless asked, so the offending value is read from the job.
  const input = valueAt(job, segments);
  const { code, message } = describeIssue(issue, where, input);
  return [{ path: jsonPath(segments), code, message: `${subject}: ${message}` }];
}

function isPathSegment(segment: PropertyKey): segment is PathSegment {
  return typeof segment !== 'symbol';
}

function describeIssue(
  issue: core.$ZodIssue,
  where: string,
  input: unknown,
): { code: ProblemCode; message: string } {
  const field = where || 'the value';
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? { code: 'required', message: `${field} is required.` }
        : {
            code: 'invalid_type',
            message: `${field} must be ${article(issue.expected)}, not ${typeName(input)}.`,
          };
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator === 'type' && where === 'type') {
        const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : [];
        return {
          code: 'unknown_task_type',
          message: `${input === undefined ? 'type is required' : `"${String(input)}" is not a task type`}; use one of ${options.join(', ')}.`,
        };
      }
      return { code: 'invalid_value', message: `${field} does not match any allowed form.` };
    case 'invalid_value':
      if (where === 'formatVersion') {
        return {
          code: 'unsupported_format_version',
          message: `formatVersion must be 1 (this is the version-1 job format).`,
        };
      }
      return {
        code: 'invalid_value',
        message: `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`,
      };
    case 'too_small':
      return { code: 'too_small', message: `${field} ${boundText(issue, 'at least')}.` };
    case 'too_big':
      return { code: 'too_big', message: `${field} ${boundText(issue, 'at most')}.` };
    case 'invalid_format':
      return { code: 'invalid_format', message: `${field} ${formatText(issue)}.` };
    case 'custom': {
      const custom = issue.params?.code as ProblemCode | undefined;
      return { code: custom ?? 'invalid_value', message: `${field} ${issue.message}.` };
    }
    default:
      return { code: 'invalid_value', message: `${field}: ${issue.message}.` };
  }
}

function boundText(issue: core.$ZodIssueTooSmall | core.$ZodIssueTooBig, word: string): string {
  const limit = 'minimum' in issue ? issue.minimum : issue.maximum;
  const exact =
    issue.inclusive === false ? (word === 'at least' ? 'more than' : 'less than') : word;
  switch (issue.origin) {
    case 'string':
      return `must be ${exact} ${String(limit)} character${limit === 1 ? '' : 's'} long`;
    case 'array':
      return `must have ${exact} ${String(limit)} item${limit === 1 ? '' : 's'}`;
    default:
      return `must be ${exact} ${String(limit)}`;
  }
}

function formatText(issue: core.$ZodIssueInvalidStringFormat): string {
  if (issue.format === 'regex') return issue.message;
  if (issue.format === 'email') return 'must be an e-mail address';
  if (issue.format === 'url') return 'must be an http(s) URL';
  if (issue.format === 'datetime') return 'must be a date and time like 2026-01-31T08:00:00Z';
  return `must be a valid ${issue.format}`;
}

/** The field a path ends at, relative to its task or edge: `params.url`, `retries`, `schedule.cron`. */
function fieldName(segments: readonly PathSegment[]): string {
  const relative =
    (segments[0] === 'tasks' || segments[0] === 'edges') && typeof segments[1] === 'number'
      ? segments.slice(2)
      : segments;
  return jsonPath(relative).replace(/^\$\.?/, '');
}

function article(expected: string): string {
  const noun = expected === 'int' ? 'whole number' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

function readIndex(job: unknown, collection: PathSegment | undefined, index: number): unknown {
  const list = field(job, String(collection));
  return Array.isArray(list) ? list[index] : undefined;
}

/** The value at a path of the raw document, or undefined when the path leads nowhere. */
function valueAt(document: unknown, segments: readonly PathSegment[]): unknown {
  let value = document;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
