/**
 * A depth limit on every JSON body: deeply nested input (a run input 10,000 levels deep) would
 * otherwise overflow the stack in validation, in serialization or in Temporal's converter, and
 * answer 500. Checked without recursion, right after parsing.
 */
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** Deeper than any job document or input needs; far below what recursion copes with. */
export const MAX_JSON_DEPTH = 64;

/** The JSON path of the first value deeper than `limit`, or undefined. */
export function tooDeep(value: unknown, limit = MAX_JSON_DEPTH): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '$' }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return path;
    if (Array.isArray(current)) {
      current.forEach((item, index) =>
        stack.push({ value: item, depth: depth + 1, path: `${path}[${index}]` }),
      );
    } else {
      for (const [key, item] of Object.entries(current)) {
        const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
        stack.push({ value: item, depth: depth + 1, path: `${path}${step}` });
      }
    }
  }
  return undefined;
}

export function jsonDepthLimit(limit = MAX_JSON_DEPTH): RequestHandler {
  return (req, _res, next) => {
    const path = tooDeep(req.body, limit);
    if (path === undefined) {
      next();
      return;
    }
    throw new HttpError(
      400,
      'invalid_request',
      `The request body is nested more than ${limit} levels deep (at ${path.slice(0, 200)})`,
      [{ path: path.slice(0, 200), code: 'too_deep', message: `nested more than ${limit} levels` }],
    );
  };
}
