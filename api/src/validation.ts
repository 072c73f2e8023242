/**
 * Request validation with zod: every problem at once, each with its JSON path, in the same shape
 * as the engine's job problems so clients handle both alike.
 */
import { jsonPath, type Problem, type ProblemCode } from '@batchgraph/engine';
import type { z } from 'zod';
import { HttpError } from './errors';

type Issue = z.core.$ZodIssue;

function problemCode(issue: Issue): ProblemCode {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'invalid_type';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'too_small':
      return 'too_small';
    case 'too_big':
      return 'too_big';
    case 'invalid_format':
      return 'invalid_format';
    default:
      return 'invalid_value';
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function issueProblems(
  issues: readonly Issue[],
  base: readonly (string | number)[] = [],
): Problem[] {
  return issues.flatMap((issue) => {
    const segments = [
      ...base,
      ...issue.path.filter((s): s is string | number => typeof s !== 'symbol'),
    ];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPath([...segments, key]),
        code: 'unknown_field' as const,
        message: `"${key}" is not a known field`,
      }));
    }
    // Parsed with reportInput: an issue about an absent value is a missing field, whatever
    // the schema (a type, an enum, a literal).
    if ('input' in issue && issue.input === undefined) {
      return [{ path: jsonPath(segments), code: 'required' as const, message: 'is required' }];
    }
    const message =
      issue.code === 'invalid_type'
        ? `expected ${issue.expected}, got ${typeName(issue.input)}`
        : issue.message;
    return [{ path: jsonPath(segments), code: problemCode(issue), message }];
  });
}

/** Parses a request part (body or query) or throws a 400 listing every problem. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.output<S> {
  // With the input in each issue, a wrong type is told from a missing field.
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = issueProblems(parsed.error.issues);
  throw new HttpError(
    400,
    'invalid_request',
    `The ${what} is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    problems,
  );
}
