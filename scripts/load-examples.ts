/**
 * Loads the example jobs (examples/jobs/*.json) into a running API through its import endpoint.
 * Idempotent: a job whose name already exists (the API answers 409) is left alone.
 * Run on its own with `npx tsx scripts/load-examples.ts`; reads BATCHGRAPH_API_URL (default
 * http://127.0.0.1:$BATCHGRAPH_API_PORT) and BATCHGRAPH_ADMIN_KEY (default: the local stack's).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StackError, reportFailure } from './stack/errors';
import { dataDir, ROOT } from './stack/paths';
import { readSecrets } from './stack/secrets';

export interface LoadOptions {
  apiUrl: string;
  adminKey: string;
  dir?: string;
}

export interface LoadResult {
  imported: string[];
  existing: string[];
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

async function importJob(options: LoadOptions, file: string, body: string): Promise<Response> {
  const url = new URL('/api/jobs/import', options.apiUrl);
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.adminKey}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new StackError(`could not send example job ${file} to ${url.href}`, { cause: error });
  }
}

export async function loadExamples(options: LoadOptions): Promise<LoadResult> {
  const dir = options.dir ?? EXAMPLE_JOBS_DIR;
  const result: LoadResult = { imported: [], existing: [] };
  if (!existsSync(dir)) return result;
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  for (const file of files) {
    const body = readFileSync(join(dir, file), 'utf8');
    const name = jobName(file, body);
    const response = await importJob(options, file, body);
    if (response.status === 409) {
      await response.body?.cancel();
      result.existing.push(name);
    } else if (response.ok) {
      await response.body?.cancel();
      result.imported.push(name);
    } else {
      const detail = (await response.text()).slice(0, 2000);
      throw new StackError(
        `the API rejected example job ${file} with ${response.status}: ${detail}`,
      );
    }
  }
  return result;
}

async function main(): Promise<void> {
  const env = process.env;
  const apiUrl = env.BATCHGRAPH_API_URL || `http://127.0.0.1:${env.BATCHGRAPH_API_PORT || 3000}`;
  const adminKey = env.BATCHGRAPH_ADMIN_KEY || readSecrets(dataDir(env)).BATCHGRAPH_ADMIN_KEY;
  if (!adminKey) {
    throw new StackError('set BATCHGRAPH_ADMIN_KEY (no local stack key found in the data folder)');
  }
  const { imported, existing } = await loadExamples({ apiUrl, adminKey });
  console.log(`example jobs: ${imported.length} imported, ${existing.length} already present`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.exitCode = reportFailure(error);
  });
}
