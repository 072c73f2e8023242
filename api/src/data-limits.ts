/**
 * The API's side of the data limits (DESIGN.md, Data and limits): a plan or a run input too big
 * for the interpreter's workflow input is refused with a 413 that names the limit, at save and at
 * start, before Temporal's own limits (2 MB payloads, 4 MB gRPC messages) can answer with a 500.
 */
import { utf8Length, type Config } from '@batchgraph/engine';
import { HttpError } from './errors';

function tooLarge(what: string, bytes: number, limit: number, variable: string, hint: string) {
  return new HttpError(
    413,
    'payload_too_large',
    `${what} is ${bytes} bytes, more than the ${limit} bytes ${variable} allows; ${hint}`,
    { limit: variable, bytes, max: limit },
  );
}

/** JSON size in bytes, or undefined for undefined. */
function sizeOf(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : utf8Length(json);
}

export function ensurePlanFits(plan: unknown, config: Config): void {
  const bytes = sizeOf(plan);
  const limit = config.BATCHGRAPH_MAX_PLAN_BYTES;
  if (bytes > limit) {
    throw tooLarge(
      'The compiled job',
      bytes,
      limit,
      'BATCHGRAPH_MAX_PLAN_BYTES',
      'split it into sub-jobs, or move long lists into a foreach items source',
    );
  }
}

export function ensureRunInputFits(input: unknown, config: Config): void {
  const bytes = sizeOf(input);
  const limit = config.BATCHGRAPH_MAX_RUN_INPUT_BYTES;
  if (bytes > limit) {
    throw tooLarge(
      'The run input',
      bytes,
      limit,
      'BATCHGRAPH_MAX_RUN_INPUT_BYTES',
      'let a task fetch large data (e.g. a foreach items source) instead of passing it in',
    );
  }
}
