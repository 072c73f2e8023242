/**
 * Declared run inputs: a job names the inputs its templates read (`{{ input.devices }}`), with a
 * type, whether a run must give it, a default and help text. From the declarations come the
 * zod schema of a run's input (runInputSchema), so the API checks a run request, the validator
 * checks the schedule's input and defaults, and the editor builds the run form, all from one rule.
 */
import { z } from 'zod';
import { jsonPath, problemsFromIssue, type Problem } from './problems';

export const inputTypes = ['string', 'number', 'integer', 'boolean', 'array', 'object'] as const;
export type InputType = (typeof inputTypes)[number];

export const inputNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    'must be 1–64 letters, digits or _, not starting with a digit',
  )
  .meta({ title: 'Name', description: 'Read in templates as {{ input.<name> }}.' });

export const inputDeclarationSchema = z
  .strictObject({
    name: inputNameSchema,
    type: z.enum(inputTypes).meta({
      title: 'Type',
      description: 'string, number, integer, boolean, array (a JSON list) or object (JSON).',
    }),
    required: z.boolean().optional().meta({
      title: 'Required',
      description: 'A run must give it (unless it has a default).',
    }),
    default: z.unknown().optional().meta({
      title: 'Default',
      description: 'Used when a run does not give the input; must have the declared type.',
    }),
    description: z.string().max(500).optional().meta({ title: 'Description' }),
  })
  .meta({ title: 'Input', description: 'A value the run is given, read as {{ input.<name> }}.' });

export type InputDeclaration = z.output<typeof inputDeclarationSchema>;

const valueSchemas: Record<InputType, () => z.ZodType> = {
  string: () => z.string(),
  number: () => z.number(),
  integer: () => z.number().int(),
  boolean: () => z.boolean(),
  array: () => z.array(z.unknown()),
  object: () => z.record(z.string(), z.unknown()),
};

/** The schema of one input's value (without its default or optionality). */
export function inputValueSchema(type: InputType): z.ZodType {
  return valueSchemas[type]();
}

/** The schema of a run's whole input under these declarations; it fills in the defaults. */
export function runInputSchema(declarations: readonly InputDeclaration[] = []): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const declaration of declarations) {
    const meta = { title: declaration.name, description: declaration.description };
    const value = inputValueSchema(declaration.type).meta(meta);
    shape[declaration.name] =
      declaration.default !== undefined
        ? value.default(declaration.default as never)
        : declaration.required
          ? value
          : value.optional();
  }
  return z.strictObject(shape);
}

export type RunInputResult =
  { ok: true; input: Record<string, unknown> } | { ok: false; errors: Problem[] };

/**
 * Checks a run's input against the declarations and fills in their defaults. `at` is where the
 * input sits in the request or job (`['input']`, `['schedule', 'input']`), for the problems' paths.
 */
export function resolveRunInput(
  declarations: readonly InputDeclaration[] | undefined,
  input: unknown,
  at: readonly (string | number)[] = ['input'],
): RunInputResult {
  const parsed = runInputSchema(declarations).safeParse(input ?? {});
  if (parsed.success) return { ok: true, input: parsed.data as Record<string, unknown> };
  const declared = (declarations ?? []).map((declaration) => declaration.name);
  const errors = parsed.error.issues.flatMap((issue): Problem[] => {
    const path = [...at, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPath([...at, ...issue.path.map(String), String(key)]),
        code: 'unknown_input',
        message: `The run input: "${String(key)}" is not an input of this job (${declared.length > 0 ? `its inputs: ${declared.join(', ')}` : 'it declares none'}).`,
      }));
    }
    return problemsFromIssue(nest(at, input), { ...issue, path }, 'The run input');
  });
  if (errors.length === 0) {
    errors.push({
      path: jsonPath(at),
      code: 'invalid_value',
      message: 'The run input is invalid.',
    });
  }
  return { ok: false, errors };
}

/** `input` placed at `at` inside an otherwise empty document, so problems can quote it. */
function nest(at: readonly (string | number)[], input: unknown): unknown {
  return at.reduceRight<unknown>((inner, key) => ({ [key]: inner }), input);
}

/** Problems of the declarations themselves: duplicate names, defaults of the wrong type. */
export function declarationProblems(declarations: readonly InputDeclaration[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  declarations.forEach((declaration, index) => {
    const at = ['inputs', index];
    if (seen.has(declaration.name)) {
      problems.push({
        path: jsonPath([...at, 'name']),
        code: 'duplicate_input',
        message: `Input '${declaration.name}' is declared twice.`,
      });
    }
    seen.add(declaration.name);
    if (declaration.default === undefined) return;
    const parsed = inputValueSchema(declaration.type).safeParse(declaration.default);
    if (!parsed.success) {
      problems.push({
        path: jsonPath([...at, 'default']),
        code: 'invalid_input_default',
        message: `Input '${declaration.name}': the default must be ${article(declaration.type)}.`,
      });
    }
  });
  return problems;
}

function article(type: InputType): string {
  return type === 'array' || type === 'object' || type === 'integer' ? `an ${type}` : `a ${type}`;
}

/** The declared defaults, as a run form starts with them. */
export function inputDefaults(
  declarations: readonly InputDeclaration[] = [],
): Record<string, unknown> {
  return Object.fromEntries(
    declarations
      .filter((declaration) => declaration.default !== undefined)
      .map((declaration) => [declaration.name, structuredClone(declaration.default)]),
  );
}
