/**
 * A subcommand of `batchgraph`: its name, help text, options (node:util parseArgs style) and what
 * it does. main.ts keeps them in one table, so a new command (for example one that talks to the
 * API) is one more module and one more table entry.
 */
import type { CliIo } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}

export type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, OptionValue>;
}

/** The strings given for an option (none when it was not given). */
export function stringValues(value: OptionValue): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is string => typeof item === 'string',
  );
}

export interface Command {
  name: string;
  /** `validate <job.json>` */
  synopsis: string;
  /** One line for the command list. */
  summary: string;
  /** Further lines for `batchgraph <command> --help`. */
  details: readonly string[];
  options: Record<string, OptionSpec>;
  /** Names of the required positional arguments, in order. */
  positionals: readonly string[];
  /** Returns the exit code; throws UsageError for a wrong command line. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
