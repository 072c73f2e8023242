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

const TEMPLATE = /\{\{\s*(.*?)\s*\}\}/g;
const WHOLE_TEMPLATE = /^\{\{\s*(.*?)\s*\}\}$/;
const SEGMENT = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"\]]*)"\])/;

export function hasTemplate(text: string): boolean {
  return /\{\{.*?\}\}/.test(text);
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
    for (const [, expression = ''] of value.matchAll(TEMPLATE)) {
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
  const whole = WHOLE_TEMPLATE.exec(text);
  if (whole && !whole[1]?.includes('}}')) {
    const expression = whole[1] ?? '';
    const { root } = parseExpression(expression, location);
    return options.keep?.includes(root) ? text : lookup(expression, scope, location);
  }
  return text.replace(TEMPLATE, (template, expression: string) => {
    const { root } = parseExpression(expression, location);
    if (options.keep?.includes(root)) return template;
    const found = lookup(expression, scope, location);
    return typeof found === 'string' ? found : JSON.stringify(found);
  });
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
