import { describe, expect, it } from 'vitest';
import { envNamesIn, scanEnvReads, shellEnvNamesIn } from './code-env';
import { exampleValues } from './variables';

/** Set by the operating system or the CI runner, not Batchgraph configuration. */
const PLATFORM_VARIABLES = new Set(['PATH', 'HOME', 'CI']);

describe('the environment scan', () => {
  it('recognises each way the code reads a variable', () => {
    const source = [
      'const a = process.env.TEMPORAL_ADDRESS;',
      'const b = env.MONGODB_URI ?? env?.MONGODB_DB;',
      'const c = process.env[\'BATCHGRAPH_API_PORT\'] + env["BATCHGRAPH_LOG_LEVEL"];',
      "const d = readPort(env, 'BATCHGRAPH_EDITOR_PORT', 5173);",
      'const { BATCHGRAPH_ADMIN_KEY, BATCHGRAPH_SECRET_KEY: key = "" } = process.env;',
      'const ignored = config.env.lowercase + envelope.NOT_ENV;',
    ].join('\n');
    expect([...envNamesIn(source)].sort()).toEqual([
      'BATCHGRAPH_ADMIN_KEY',
      'BATCHGRAPH_API_PORT',
      'BATCHGRAPH_EDITOR_PORT',
      'BATCHGRAPH_LOG_LEVEL',
      'BATCHGRAPH_SECRET_KEY',
      'MONGODB_DB',
      'MONGODB_URI',
      'TEMPORAL_ADDRESS',
    ]);
  });
});

describe('the shell scan', () => {
  it('recognises the product variables a script expands, and only those', () => {
    const script =
      'TOOLS="${BATCHGRAPH_TOOLS_DIR:-$ROOT/.tools}"\necho "$TEMPORAL_PORT $HOME $ROOT"';
    expect([...shellEnvNamesIn(script)].sort()).toEqual(['BATCHGRAPH_TOOLS_DIR', 'TEMPORAL_PORT']);
  });
});

describe('variables read by api/src, workflows/src, activities/src and scripts', () => {
  const documented = exampleValues();

  it('are all documented in deploy/.env.example', () => {
    const undocumented = scanEnvReads()
      .filter(({ name }) => !documented.has(name) && !PLATFORM_VARIABLES.has(name))
      .map(({ name, files }) => `${name} (read in ${files.join(', ')})`);
    expect(undocumented).toEqual([]);
  });
});
