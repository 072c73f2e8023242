/** Paths and loaders for the files under deploy/ and the repository they describe. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const DEPLOY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(DEPLOY_DIR, '..');

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', '.git']);

export class DeployFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeployFileError';
  }
}

/** A path under deploy/, from its parts. */
export function deployPath(...parts: string[]): string {
  return join(DEPLOY_DIR, ...parts);
}

/** A path relative to the repository root, for messages. */
export function fromRoot(path: string): string {
  return relative(REPO_ROOT, path);
}

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DeployFileError(`cannot read ${fromRoot(path)}`, { cause: error });
  }
}

/** Every file below `dir` (recursively) that `keep` accepts; build output and installs are skipped. */
export function listFiles(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : listFiles(path, keep);
    return entry.isFile() && keep(path) ? [path] : [];
  });
}

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/.test(path);
}

/**
 * The documents of a YAML file, as plain values. Merge keys (`<<: *anchor`) are resolved, as
 * Compose and kustomize resolve them. Any syntax error or warning fails, naming the file.
 */
export function parseYamlFile(path: string): unknown[] {
  const documents = parseAllDocuments(readText(path), { merge: true, prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [documents];
  const problems = list.flatMap((document) => [...document.errors, ...document.warnings]);
  if (problems.length > 0) {
    throw new DeployFileError(
      `${fromRoot(path)} is not valid YAML:\n${problems.map((p) => p.message).join('\n')}`,
    );
  }
  return list.map((document) => document.toJS({ maxAliasCount: -1 }) as unknown);
}

/** The single document of a YAML file. */
export function parseYamlDocument(path: string): unknown {
  const [first, ...rest] = parseYamlFile(path);
  if (first === undefined || rest.length > 0) {
    throw new DeployFileError(`${fromRoot(path)} must hold exactly one YAML document`);
  }
  return first;
}
