/** `batchgraph validate <job.json>`: exit 0 and `ok`, or exit 1 and the problems as JSON. */
import { validateJob } from '../validate';
import type { Command } from './command';
import { printJson, printWarnings } from './format';
import { EXIT_INVALID, EXIT_OK } from './io';
import { readJobFile } from './job-file';

export const validateCommand: Command = {
  name: 'validate',
  synopsis: 'validate <job.json>',
  summary: 'Check a job file against the job format and the rules of the run semantics.',
  details: [
    'Prints "ok" and exits 0 when the job is valid (warnings go to stderr).',
    'Otherwise prints the problems as a JSON array of { path, code, message } and exits 1.',
  ],
  options: {},
  positionals: ['job.json'],
  async run({ positionals: [file] }, io) {
    const read = await readJobFile(io, file!);
    if (!read.ok) {
      printJson(io, read.errors);
      return EXIT_INVALID;
    }
    const result = validateJob(read.document);
    printWarnings(io, result.warnings);
    if (!result.ok) {
      printJson(io, result.errors);
      return EXIT_INVALID;
    }
    io.out('ok');
    return EXIT_OK;
  },
};
