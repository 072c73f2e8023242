/** Entry point of the `batchgraph` command (engine/bin/batchgraph.js imports it). */
import { readFile } from 'node:fs/promises';
import { runCli } from './cli';
import type { CliIo } from './io';

/** Unexpected failures (a bug, not bad input): sysexits' EX_SOFTWARE. */
const EXIT_INTERNAL = 70;

const nodeIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readFile: (path) => readFile(path, 'utf8'),
};

try {
  process.exitCode = await runCli(process.argv.slice(2), nodeIo);
} catch (error) {
  nodeIo.err(
    `batchgraph: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exitCode = EXIT_INTERNAL;
}
