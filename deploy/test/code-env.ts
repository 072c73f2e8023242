/** Finds the environment variables the code reads, by scanning its sources. */
import { extname, join } from 'node:path';
import { fromRoot, listFiles, readText, REPO_ROOT } from './files';

/** Where the programs that read configuration live. Folders that do not exist yet are skipped. */
export const SCANNED_DIRS = ['api/src', 'workflows/src', 'activities/src', 'scripts'];

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs']);

const NAME = '[A-Z][A-Z0-9_]*';
const READ_PATTERNS = [
  // process.env.X, env.X
  new RegExp(`\\benv\\??\\.(${NAME})\\b`, 'g'),
  // env['X'], process.env["X"]
  new RegExp(`\\benv\\[\\s*['"\`](${NAME})['"\`]\\s*\\]`, 'g'),
  // A variable name handed to a reader as a string: readPort(env, 'BATCHGRAPH_API_PORT').
  /['"`]((?:BATCHGRAPH|TEMPORAL|MONGODB)_[A-Z0-9_]+)['"`]/g,
];
const DESTRUCTURED = /\{([^{}]*)\}\s*=\s*(?:process\.)?env\b/g;
// Shell scripts expand many variables of their own; only the product's prefixes are config.
const SHELL_READ = /\$\{?((?:BATCHGRAPH|TEMPORAL|MONGODB)_[A-Z0-9_]+)/g;

export interface EnvRead {
  name: string;
  /** Repository-relative files that read it. */
  files: string[];
}

/** The variable names one source text reads. */
export function envNamesIn(source: string): Set<string> {
  const names = new Set<string>();
  for (const pattern of READ_PATTERNS) {
    for (const match of source.matchAll(pattern)) if (match[1]) names.add(match[1]);
  }
  for (const match of source.matchAll(DESTRUCTURED)) {
    for (const binding of (match[1] ?? '').split(',')) {
      const name = /^\s*([A-Z][A-Z0-9_]*)\b/.exec(binding)?.[1];
      if (name) names.add(name);
    }
  }
  return names;
}

/** The variable names one shell script reads. */
export function shellEnvNamesIn(script: string): Set<string> {
  return new Set([...script.matchAll(SHELL_READ)].flatMap((match) => match[1] ?? []));
}

/** Test files are left out: the test runner hands them their environment, operators do not. */
function isSource(path: string): boolean {
  return SOURCE_EXTENSIONS.has(extname(path)) && !/\.test\.[cm]?[jt]sx?$/.test(path);
}

function isShellScript(path: string): boolean {
  if (extname(path) === '.sh') return true;
  return extname(path) === '' && /^#!.*\b(ba)?sh\b/.test(readText(path).split('\n', 1)[0] ?? '');
}

/** Every variable the scanned folders read, with the files that read it. */
export function scanEnvReads(root = REPO_ROOT, dirs = SCANNED_DIRS): EnvRead[] {
  const reads = new Map<string, string[]>();
  const record = (names: Set<string>, file: string) => {
    for (const name of names) reads.set(name, [...(reads.get(name) ?? []), fromRoot(file)]);
  };
  for (const dir of dirs) {
    for (const file of listFiles(join(root, dir), isSource))
      record(envNamesIn(readText(file)), file);
    for (const file of listFiles(join(root, dir), isShellScript)) {
      record(shellEnvNamesIn(readText(file)), file);
    }
  }
  return [...reads]
    .map(([name, files]) => ({ name, files }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
