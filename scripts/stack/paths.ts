import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Env = Record<string, string | undefined>;

/** The repository root: this file lives in scripts/stack/. */
export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

export interface ToolPaths {
  temporal: string;
  temporalTestServer: string;
  ferretdb: string;
}

/** Where scripts/provision installs the binaries (BATCHGRAPH_TOOLS_DIR, default .tools). */
export function toolPaths(env: Env): ToolPaths {
  const tools = resolve(ROOT, env.BATCHGRAPH_TOOLS_DIR || '.tools');
  return {
    temporal: join(tools, 'venv/bin/temporal'),
    temporalTestServer: join(tools, 'venv/bin/temporal-test-server'),
    ferretdb: join(tools, 'bin/ferretdb'),
  };
}

/** Server data, generated secrets and logs of the local stack (BATCHGRAPH_DATA_DIR, default .data). */
export function dataDir(env: Env): string {
  return resolve(ROOT, env.BATCHGRAPH_DATA_DIR || '.data');
}

export function findOnPath(command: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory; keep looking
    }
  }
  return undefined;
}
