/**
 * Templates in task params: `{{ input.accounts }}`, `{{ tasks.find.output.body.ids }}`,
 * `{{ item.id }}`, `{{ run.id }}`. A string that is exactly one template takes the referenced
 * value as it is (a list stays a list); templates inside longer strings are interpolated.
 * Paths only, no expressions, so a job file can never run code.
 */

export type PathSegment = string | number;

/** Where a value sits inside the params object, e.g. ['headers', 'Authorization']. */
export type Location = PathSegment[];

export const templateRoots = ['input', 'tasks', 'run', 'item'] as const;
export type TemplateRoot = (typeof templateRoots)[number];

export interface TemplateReference {
  expression: string;
  root: TemplateRoot;
  path: PathSegment[];
  location: Location;
}

export interface TemplateScope {
  input?: unknown;
  tasks?: Record<string, unknown>;
  run?: Record<string, unknown>;
  item?: unknown;
}

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly expression: string,
    readonly location: Location = [],
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const SEGMENT = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"\]]*)"\])/;

const isLineBreak = (char: string | undefined): boolean =>
  char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/** One `{{ … }}` in a string: where it starts and ends, and its trimmed expression. */
interface Found {
  start: number;
  end: number;
  expression: string;
}

/**
 * Every template in `text`, in one linear pass (a regex with a lazy group rescans the rest of
 * the string from every `{{`, which is quadratic on a long run of them). A template is `{{`, the
 * first `}}` after it, and between them an expression without a line break once trimmed; from
 * a `{{` that does not open one the search goes on at the next character.
 */
function scanTemplates(text: string): Found[] {
  const found: Found[] = [];
  let close = -1;
  /** `close` without the whitespace before it (computed once per `}}`). */
  let closeTrimmed = -1;
  let lineBreak = -1;
  let from = 0;
  for (;;) {
    const start = text.indexOf('{{', from);
    if (start < 0) return found;
    if (close < start + 2) {
      close = text.indexOf('}}', start + 2);
      if (close < 0) return found;
      closeTrimmed = close;
      while (closeTrimmed > start + 2 && /\s/.test(text[closeTrimmed - 1]!)) closeTrimmed--;
    }
    let first = start + 2;
    while (first < close && /\s/.test(text[first]!)) first++;
    const last = Math.max(first, closeTrimmed);
    if (lineBreak < first) {
      lineBreak = first;
      while (lineBreak < text.length && !isLineBreak(text[lineBreak])) lineBreak++;
    }
    if (lineBreak >= last) {
      found.push({ start, end: close + 2, expression: text.slice(first, last) });
      from = close + 2;
    } else {
      from = start + 1;
    }
  }
}

/** Whether the text holds a `{{` with a `}}` after it on the same line. */
export function hasTemplate(text: string): boolean {
  let open = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (isLineBreak(char)) open = false;
    else if (!open && char === '{' && text[i + 1] === '{') {
      open = true;
      i++;
    } else if (open && char === '}' && text[i + 1] === '}') return true;
  }
  return false;
}

/** Parses `tasks.find.output.body["ids"][0]` into its root and path; throws TemplateError. */
export function parseExpression(
  expression: string,
  location: Location = [],
): { root: TemplateRoot; path: PathSegment[] } {
  const segments: PathSegment[] = [];
  let rest = expression.trim();
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match || (segments.length === 0 && match[1] === undefined)) {
      throw new TemplateError(
        `"{{ ${expression} }}" is not a path like tasks.<id>.output.field or input.field`,
        expression,
        location,
      );
    }
    segments.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[3] ?? ''));
    rest = rest.slice(match[0].length);
  }
  const [root, ...path] = segments;
  if (!templateRoots.includes(root as TemplateRoot)) {
    throw new TemplateError(
      `"{{ ${expression} }}" must start with ${templateRoots.join(', ')}`,
      expression,
      location,
    );
  }
  return { root: root as TemplateRoot, path };
}

/** Every template inside a value (walking objects and arrays), with where it stands. */
export function collectTemplates(value: unknown, location: Location = []): TemplateReference[] {
  const found: TemplateReference[] = [];
  walkTemplates(value, [...location], found);
  return found;
}

/** Walks with one shared location stack, copying it only where a template is found. */
function walkTemplates(value: unknown, location: Location, found: TemplateReference[]): void {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return;
    for (const { expression } of scanTemplates(value)) {
      const at = [...location];
      found.push({ expression, location: at, ...parseExpression(expression, at) });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((element, index) => {
      location.push(index);
      walkTemplates(element, location, found);
      location.pop();
    });
    return;
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      location.push(key);
      walkTemplates(value[key], location, found);
      location.pop();
    }
  }
}

export interface RenderOptions {
  /** Roots to leave as templates, e.g. `item` while the per-item task waits for its item. */
  keep?: readonly TemplateRoot[];
}

/** Resolves every template in a value against the scope; throws TemplateError when a path is missing. */
export function renderTemplates(
  value: unknown,
  scope: TemplateScope,
  options: RenderOptions = {},
  location: Location = [],
): unknown {
  if (typeof value === 'string') return renderString(value, scope, options, location);
  if (Array.isArray(value)) {
    return value.map((element, index) =>
      renderTemplates(element, scope, options, [...location, index]),
    );
  }
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, element]) => [
        key,
        renderTemplates(element, scope, options, [...location, key]),
      ]),
    );
  }
  return value;
}

function renderString(
  text: string,
  scope: TemplateScope,
  options: RenderOptions,
  location: Location,
): unknown {
  const templates = scanTemplates(text);
  const [only] = templates;
  if (templates.length === 1 && only!.start === 0 && only!.end === text.length) {
    const { root } = parseExpression(only!.expression, location);
    return options.keep?.includes(root) ? text : lookup(only!.expression, scope, location);
  }
  let rendered = '';
  let at = 0;
  for (const { start, end, expression } of templates) {
    const { root } = parseExpression(expression, location);
    let value = text.slice(start, end);
    if (!options.keep?.includes(root)) {
      const found = lookup(expression, scope, location);
      value = typeof found === 'string' ? found : JSON.stringify(found);
    }
    rendered += text.slice(at, start) + value;
    at = end;
  }
  return rendered + text.slice(at);
}

function lookup(expression: string, scope: TemplateScope, location: Location): unknown {
  const { root, path } = parseExpression(expression, location);
  let current: unknown = scope[root];
  let walked = root;
  for (const segment of [undefined, ...path]) {
    if (segment !== undefined) {
      current = isRecord(current) || Array.isArray(current) ? readKey(current, segment) : undefined;
      walked += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    }
    if (current === undefined) {
      throw new TemplateError(
        `"{{ ${expression} }}" has no value: ${walked} is not set`,
        expression,
        location,
      );
    }
  }
  return current;
}

function readKey(container: object, key: PathSegment): unknown {
  return Object.prototype.hasOwnProperty.call(container, key)
    ? (container as Record<PathSegment, unknown>)[key]
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A task's error text for a template that could not be rendered, naming where it stands. */
export function templateErrorMessage(error: TemplateError): string {
  const where = error.location.length > 0 ? ` in params.${error.location.join('.')}` : '';
  return `Template error${where}: ${error.message}`;
}
