/**
 * The list a foreach iterates over when it comes from an HTTP source: the JSON response body, or
 * the list at a dotted path inside it (`ids`, `data.items`, `pages.0.ids`).
 */
import type { HttpOutput } from './contract';
import { finalFailure } from './errors';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 10);
    return keys.length > 0 ? `an object with keys ${keys.join(', ')}` : 'an empty object';
  }
  return `a ${typeof value}`;
}

/** The JSON array at `path` in the response body; non-retryable when there is none. */
export function itemsAt(response: HttpOutput, path: string | undefined, source: string): unknown[] {
  const segments = path ? path.split('.').filter((segment) => segment !== '') : [];
  if (typeof response.body === 'string') {
    const type = response.headers['content-type'] ?? 'no content type';
    throw finalFailure(
      `${source} did not return JSON (${type}), so it has no list of items`,
      'ItemsNotAList',
    );
  }
  let current: unknown = response.body;
  let walked = 'the body';
  for (const [position, segment] of segments.entries()) {
    const container = current;
    const next =
      typeof container === 'object' && container !== null && Object.hasOwn(container, segment)
        ? (container as Record<string, unknown>)[segment]
        : undefined;
    if (next === undefined) {
      throw finalFailure(
        `${source}: expected a list at "${path}", but ${walked} (${describeValue(container)}) has no "${segment}"`,
        'ItemsNotAList',
      );
    }
    current = next;
    walked = `"${segments.slice(0, position + 1).join('.')}"`;
  }
  if (!Array.isArray(current)) {
    throw finalFailure(
      `${source}: expected a list at ${path ? `"${path}"` : 'the top of the body'}, found ${describeValue(current)}`,
      'ItemsNotAList',
    );
  }
  return current;
}
