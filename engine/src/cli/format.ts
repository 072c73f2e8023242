/** How commands print: results as JSON on stdout, warnings as sentences on stderr. */
import type { Problem } from '../problems';
import type { CliIo } from './io';

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

export function printWarnings(io: CliIo, warnings: readonly Problem[]): void {
  for (const { path, code, message } of warnings) io.err(`warning ${code} at ${path}: ${message}`);
}
