/** deploy/compose.yaml, loaded into the few fields the checks read, and its ${VAR} references. */
import { z } from 'zod';
import { deployPath, parseYamlDocument, readText } from './files';

export const COMPOSE_PATH = deployPath('compose.yaml');

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const healthcheckSchema = z.looseObject({
  test: z.union([z.string(), z.array(z.string())]),
  disable: z.boolean().optional(),
});

const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.looseObject({ context: z.string(), dockerfile: z.string() }).optional(),
  environment: z.record(z.string(), scalar.nullable()).optional(),
  healthcheck: healthcheckSchema.optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  restart: z.string().optional(),
  command: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  stop_grace_period: z.string().optional(),
  deploy: z.looseObject({ replicas: z.number().int().optional() }).optional(),
  depends_on: z
    .record(
      z.string(),
      z.looseObject({
        condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
      }),
    )
    .optional(),
});

const composeSchema = z.looseObject({
  services: z.record(z.string(), serviceSchema),
});

export type ComposeService = z.infer<typeof serviceSchema>;
export type ComposeFile = z.infer<typeof composeSchema>;

export function loadCompose(): ComposeFile {
  return composeSchema.parse(parseYamlDocument(COMPOSE_PATH));
}

/** A service that runs once and exits (a setup job), so it has no healthcheck to offer. */
export function isOneShot(service: ComposeService): boolean {
  return service.restart === 'no' || (service.restart?.startsWith('on-failure') ?? false);
}

/** The service's environment with every value as Compose hands it over: a string. */
export function serviceEnvironment(service: ComposeService): Map<string, string> {
  return new Map(
    Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value ?? '')]),
  );
}

export interface Interpolation {
  name: string;
  /** `-` for ${VAR:-default}, `?` for ${VAR:?message}, undefined for plain ${VAR}. */
  operator: '-' | '?' | undefined;
  argument: string | undefined;
}

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g;

/** Every ${VAR} reference in a text, in order. */
export function interpolationsIn(text: string): Interpolation[] {
  return [...text.matchAll(INTERPOLATION)].map((match) => ({
    name: match[1] ?? '',
    operator: match[2] === '-' || match[2] === '?' ? match[2] : undefined,
    argument: match[3],
  }));
}

export function composeInterpolations(): Interpolation[] {
  return interpolationsIn(readText(COMPOSE_PATH));
}

/** Resolves ${VAR} references the way Compose does, from the given variables. */
export function interpolate(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(INTERPOLATION, (whole, name: string, operator?: string, argument = '') => {
    const value = variables.get(name);
    if (value !== undefined && value !== '') return value;
    if (operator === '-') return argument;
    throw new Error(`${whole} has no value (${argument || 'required'})`);
  });
}

/** The service names a URI-like value points at: `temporal:7233`, `mongodb://mongo:27017/…`. */
export function hostOf(address: string): string {
  const withScheme = address.includes('://') ? address : `tcp://${address}`;
  return new URL(withScheme).hostname;
}
