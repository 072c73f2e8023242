/**
 * `batchgraph <command> …`: finds the command in the table, parses its options with node:util's
 * parseArgs, handles --help and usage errors, and returns the exit code.
 */
import { parseArgs } from 'node:util';
import type { Command } from './command';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { simulateCommand } from './simulate';
import { validateCommand } from './validate';

export const commands: readonly Command[] = [validateCommand, simulateCommand];

export function usage(): string {
  const width = Math.max(...commands.map((command) => command.synopsis.length));
  return [
    'Usage: batchgraph <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.synopsis.padEnd(width)}  ${command.summary}`),
    '',
    'Run "batchgraph <command> --help" for more about a command.',
  ].join('\n');
}

export function commandUsage(command: Command): string {
  return [
    `Usage: batchgraph ${command.synopsis}`,
    '',
    command.summary,
    ...(command.details.length > 0 ? ['', ...command.details] : []),
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return EXIT_OK;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.err(
      `${name === undefined ? 'batchgraph: no command given' : `batchgraph: unknown command '${name}'`}\n\n${usage()}`,
    );
    return EXIT_USAGE;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help === true) {
      io.out(commandUsage(command));
      return EXIT_OK;
    }
    if (positionals.length !== command.positionals.length) {
      throw new UsageError(
        `expected ${command.positionals.map((p) => `<${p}>`).join(' ')}, got ${positionals.length === 0 ? 'nothing' : positionals.join(' ')}`,
      );
    }
    return await command.run({ values, positionals }, io);
  } catch (error) {
    if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
    io.err(`batchgraph ${command.name}: ${error.message}\n\n${commandUsage(command)}`);
    return EXIT_USAGE;
  }
}

function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof TypeError &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS')
  );
}
