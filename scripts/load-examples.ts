/**
 * Loads the examples into a running API: first the demo connections they name
 * (examples/src/connections.ts, created as the admin), then the example jobs (examples/jobs/*.json)
 * through the import endpoint, pointed at the stand-ins' real origins. Idempotent: a connection or
 * job whose name already exists (the API answers 409) is left alone.
 * Run on its own with `npx tsx scripts/load-examples.ts`; reads BATCHGRAPH_API_URL (default
 * http://127.0.0.1:$BATCHGRAPH_API_PORT), BATCHGRAPH_ADMIN_KEY (default: the local stack's) and
 * the stand-ins' port variables (BATCHGRAPH_STANDIN_PORT_BASE).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectionRequest, demoConnections } from '../examples/src/connections';
import { pointJobAtStandins } from '../examples/src/job-origins';
import {
  defaultPorts,
  portsFromEnv,
  standinOrigins,
  type HttpStandin,
} from '../examples/src/ports';
import { StackError, reportFailure } from './stack/errors';
import { dataDir, ROOT } from './stack/paths';
import { readSecrets } from './stack/secrets';

export interface LoadOptions {
  apiUrl: string;
  adminKey: string;
  dir?: string;
  /** Where the stand-ins listen; default their default ports, as the job files say. */
  standins?: Record<HttpStandin, string>;
}

export interface LoadResult {
  imported: string[];
  existing: string[];
  connections: { created: string[]; existing: string[] };
}

export const EXAMPLE_JOBS_DIR = join(ROOT, 'examples/jobs');

function jobName(file: string, text: string): string {
  try {
    const parsed = JSON.parse(text) as { name?: unknown };
    return typeof parsed.name === 'string' ? parsed.name : file;
  } catch (error) {
    throw new StackError(`example job ${file} is not valid JSON`, { cause: error });
  }
}

async function post(options: LoadOptions, path: string, what: string, body: string) {
  const url = new URL(path, options.apiUrl);
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.adminKey}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new StackError(`could not send ${what} to ${url.href}`, { cause: error });
  }
}

/** Sorts a 409 into `existing`, a success into `created`, and throws on anything else. */
async function record(
  response: Response,
  what: string,
  name: string,
  into: { created: string[]; existing: string[] },
): Promise<void> {
  if (response.status === 409 || response.ok) {
    await response.body?.cancel();
    (response.ok ? into.created : into.existing).push(name);
    return;
  }
  const detail = (await response.text()).slice(0, 2000);
  throw new StackError(`the API rejected ${what} with ${response.status}: ${detail}`);
}

async function createConnections(
  options: LoadOptions,
  origins: Record<HttpStandin, string>,
): Promise<LoadResult['connections']> {
  const result = { created: [] as string[], existing: [] as string[] };
  for (const connection of demoConnections) {
    const what = `demo connection ${connection.name}`;
    const body = JSON.stringify(connectionRequest(connection, origins));
    await record(
      await post(options, '/api/connections', what, body),
      what,
      connection.name,
      result,
    );
  }
  return result;
}

export async function loadExamples(options: LoadOptions): Promise<LoadResult> {
  const dir = options.dir ?? EXAMPLE_JOBS_DIR;
  const origins = options.standins ?? standinOrigins(defaultPorts);
  const connections = await createConnections(options, origins);
  const jobs = { created: [] as string[], existing: [] as string[] };
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .sort()
    : [];
  for (const file of files) {
    const body = pointJobAtStandins(readFileSync(join(dir, file), 'utf8'), origins);
    const what = `example job ${file}`;
    const response = await post(options, '/api/jobs/import', what, body);
    await record(response, what, jobName(file, body), jobs);
  }
  return { imported: jobs.created, existing: jobs.existing, connections };
}

async function main(): Promise<void> {
  const env = process.env;
  const apiUrl = env.BATCHGRAPH_API_URL || `http://127.0.0.1:${env.BATCHGRAPH_API_PORT || 3000}`;
  const adminKey = env.BATCHGRAPH_ADMIN_KEY || readSecrets(dataDir(env)).BATCHGRAPH_ADMIN_KEY;
  if (!adminKey) {
    throw new StackError('set BATCHGRAPH_ADMIN_KEY (no local stack key found in the data folder)');
  }
  const standins = standinOrigins(portsFromEnv(env));
  const { imported, existing, connections } = await loadExamples({ apiUrl, adminKey, standins });
  console.log(`example jobs: ${imported.length} imported, ${existing.length} already present`);
  console.log(
    `demo connections: ${connections.created.length} created, ${connections.existing.length} already present`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.exitCode = reportFailure(error);
  });
}
