/** The configuration variables Batchgraph knows, and deploy/.env.example's account of them. */
import { configSchema } from '@batchgraph/engine';
import { deployPath, readText } from './files';

/** What the API and the worker read: exactly the keys of the engine's config schema. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(configSchema.shape);

/**
 * Read only by the local stack and test runner (scripts/, deploy/compose.yaml), never by the API
 * or the worker.
 */
export const LOCAL_ONLY_VARIABLES: readonly string[] = [
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'BATCHGRAPH_MONGO_PORT',
  'BATCHGRAPH_EDITOR_PORT',
  'BATCHGRAPH_WORKERS',
  'BATCHGRAPH_WORKER_POOLS',
  'BATCHGRAPH_API_PROCESSES',
  'BATCHGRAPH_DATA_DIR',
  'BATCHGRAPH_START_TIMEOUT_SECONDS',
  'BATCHGRAPH_TOOLS_DIR',
  'BATCHGRAPH_API_URL',
  'BATCHGRAPH_TEST_TEMPORAL_PORT',
  'BATCHGRAPH_TEST_MONGO_PORT',
  'CHROMIUM_PATH',
  'BATCHGRAPH_STANDIN_PORT_BASE',
  'BATCHGRAPH_STANDIN_SMTP_PORT',
];

export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  ...CONFIG_VARIABLES,
  ...LOCAL_ONLY_VARIABLES,
]);

export const ENV_EXAMPLE_PATH = deployPath('.env.example');

export interface ExampleVariable {
  name: string;
  value: string;
  /** The comment line right above the assignment. */
  comment: string | undefined;
  line: number;
}

export interface EnvExample {
  product: ExampleVariable[];
  localOnly: ExampleVariable[];
}

const LOCAL_SECTION = /^# === Local stack only/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** Splits .env.example into its product section and its "Local stack only" section. */
export function parseEnvExample(text = readText(ENV_EXAMPLE_PATH)): EnvExample {
  const example: EnvExample = { product: [], localOnly: [] };
  let section = example.product;
  let previous = '';
  text.split('\n').forEach((line, index) => {
    if (LOCAL_SECTION.test(line)) section = example.localOnly;
    const match = ASSIGNMENT.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      const comment = previous.startsWith('# ') ? previous.slice(2).trim() : undefined;
      section.push({ name: match[1], value: match[2], comment, line: index + 1 });
    }
    previous = line;
  });
  return example;
}

/** Name → value of every variable in .env.example, both sections. */
export function exampleValues(example = parseEnvExample()): Map<string, string> {
  return new Map([...example.product, ...example.localOnly].map((v) => [v.name, v.value]));
}
