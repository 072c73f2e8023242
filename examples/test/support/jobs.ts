/** Reading the example job files, and pointing them at stand-ins on other ports. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pointJobAtStandins } from '../../src/job-origins';
import type { HttpStandin } from '../../src/ports';

export const JOBS_DIR = fileURLToPath(new URL('../../jobs/', import.meta.url));

export const jobFiles = readdirSync(JOBS_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

export function readJobText(file: string): string {
  return readFileSync(new URL(file, `file://${JOBS_DIR}`), 'utf8');
}

export function readJob(file: string): Record<string, unknown> {
  return JSON.parse(readJobText(file)) as Record<string, unknown>;
}

/**
 * The job file with every default stand-in origin (http://127.0.0.1:4011 …) replaced by the
 * origin the test's stand-ins listen on, plus any extra exact-text replacements.
 */
export function jobFor(
  file: string,
  urls: Partial<Record<HttpStandin, string>>,
  replacements: [string, string][] = [],
): Record<string, unknown> {
  let text = pointJobAtStandins(readJobText(file), urls);
  for (const [from, to] of replacements) text = text.replaceAll(from, to);
  return JSON.parse(text) as Record<string, unknown>;
}
