/**
 * `batchgraph simulate <job.json> [--fail TASK[=N]]...`: runs the job through the run semantics
 * with no real work and prints what would happen.
 */
import { compileJob } from '../compile';
import type { Plan } from '../plan';
import { simulate, type InjectedFailures } from '../simulate';
import { stringValues, type Command } from './command';
import { printJson, printWarnings } from './format';
import { EXIT_OK, EXIT_USAGE, UsageError } from './io';
import { readJobFile } from './job-file';

export const simulateCommand: Command = {
  name: 'simulate',
  synopsis: 'simulate <job.json> [--fail TASK[=N]]...',
  summary: 'Show how a run of the job would go, with every task succeeding unless told otherwise.',
  details: [
    '--fail TASK     every attempt of TASK fails',
    '--fail TASK=N   the first N attempts of TASK fail (it succeeds if it has retries left)',
    'Prints { outcome, tasks: { <id>: { state, attempts } }, order } and exits 0 whatever the',
    'outcome; an invalid job prints its problems as a JSON array and exits 2.',
  ],
  options: { fail: { type: 'string', multiple: true } },
  positionals: ['job.json'],
  async run({ positionals: [file], values }, io) {
    const failOptions = stringValues(values.fail);
    const read = await readJobFile(io, file!);
    if (!read.ok) {
      printJson(io, read.errors);
      return EXIT_USAGE;
    }
    const compiled = compileJob(read.document);
    printWarnings(io, compiled.warnings);
    if (!compiled.ok) {
      printJson(io, compiled.errors);
      return EXIT_USAGE;
    }
    printJson(io, simulate(compiled.plan, parseFailures(failOptions, compiled.plan)));
    return EXIT_OK;
  },
};

/** `a` → every attempt of a fails; `a=2` → its first two attempts fail. */
export function parseFailures(options: readonly string[], plan: Plan): InjectedFailures {
  const known = new Set(plan.tasks.map((task) => task.id));
  const failures = new Map<string, number>();
  for (const option of options) {
    const match = /^([^=]+?)(?:=(\d+))?$/.exec(option);
    if (!match) {
      throw new UsageError(`--fail ${option}: expected TASK or TASK=N (N a whole number)`);
    }
    const [, task = '', count] = match;
    if (!known.has(task)) {
      throw new UsageError(
        `--fail ${option}: the job has no task '${task}' (tasks: ${[...known].join(', ')})`,
      );
    }
    failures.set(task, count === undefined ? Infinity : Number(count));
  }
  return Object.fromEntries(failures);
}
