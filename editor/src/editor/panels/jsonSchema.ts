/**
 * The engine's zod schemas as JSON Schema (`z.toJSONSchema`), which the inspector walks to
 * generate its forms: titles and help come from each field's `.meta()`.
 */
import { z } from 'zod';
import {
  jobSchema,
  paramsSchemas,
  runInputSchema,
  settingsSchema,
  taskSchema,
  type InputDeclaration,
  type TaskType,
} from '@batchgraph/engine';

export interface JsonSchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  format?: string;
}

const toJson = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const paramsCache = new Map<string, JsonSchema>();

export function paramsJsonSchema(type: string): JsonSchema | undefined {
  const schema = paramsSchemas[type as TaskType] as z.ZodType | undefined;
  if (!schema) return undefined;
  let json = paramsCache.get(type);
  if (!json) {
    json = toJson(schema);
    paramsCache.set(type, json);
  }
  return json;
}

/** A task's fields (of the first type; all types share them but for params). */
let taskFields: JsonSchema | undefined;
export function taskFieldsJsonSchema(): JsonSchema {
  taskFields ??= toJson(taskSchema.options[0]);
  return taskFields;
}

/** Task fields the inspector edits with controls of its own (or not at all). */
export const OWN_TASK_FIELDS = ['id', 'type', 'params', 'position'] as const;

let settingsJson: JsonSchema | undefined;
export function settingsJsonSchema(): JsonSchema {
  settingsJson ??= toJson(settingsSchema);
  return settingsJson;
}

/** The variant of a `oneOf` whose `type` property is a constant (a discriminated union). */
export function discriminatedVariants(
  schema: JsonSchema,
): { tag: string; schema: JsonSchema }[] | undefined {
  const options = schema.oneOf ?? schema.anyOf;
  if (!options) return undefined;
  const variants = options.map((option) => ({
    tag: option.properties?.type?.const,
    schema: option,
  }));
  return variants.every((variant) => typeof variant.tag === 'string')
    ? (variants as { tag: string; schema: JsonSchema }[])
    : undefined;
}

export type Widget =
  | 'enum'
  | 'boolean'
  | 'number'
  | 'text'
  | 'longtext'
  | 'list'
  | 'record'
  | 'object'
  | 'variant'
  | 'json';

export function widgetFor(schema: JsonSchema): Widget {
  if (schema.enum) return 'enum';
  if (discriminatedVariants(schema)) return 'variant';
  switch (schema.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
      return (schema.maxLength ?? 0) > 500 ? 'longtext' : 'text';
    case 'array':
      return schema.items?.type === 'string' ||
        schema.items?.type === 'integer' ||
        schema.items?.type === 'number'
        ? 'list'
        : 'json';
    case 'object':
      if (schema.properties) return 'object';
      if (
        typeof schema.additionalProperties === 'object' &&
        schema.additionalProperties.type === 'string'
      )
        return 'record';
      return 'json';
    default:
      return 'json';
  }
}

const runInputCache = new WeakMap<readonly InputDeclaration[], JsonSchema>();

/** The form of a run's input under these declarations (the engine's runInputSchema). */
export function runInputJsonSchema(declarations: readonly InputDeclaration[]): JsonSchema {
  let json = runInputCache.get(declarations);
  if (!json) {
    json = toJson(runInputSchema(declarations));
    runInputCache.set(declarations, json);
  }
  return json;
}

let jobFields: JsonSchema | undefined;
/** The job's own fields (name, description, declared inputs). */
export function jobFieldsJsonSchema(): JsonSchema {
  jobFields ??= toJson(jobSchema.pick({ name: true, description: true, inputs: true }));
  return jobFields;
}
