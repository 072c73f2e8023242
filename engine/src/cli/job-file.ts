/** Reads a job document from a file: JSON, or one `invalid_json` problem saying why not. */
import type { Problem } from '../problems';
import type { CliIo } from './io';

export type JobFile = { ok: true; document: unknown } | { ok: false; errors: Problem[] };

export async function readJobFile(io: CliIo, path: string): Promise<JobFile> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    return unreadable(`The file ${path} could not be read: ${reason(error)}.`);
  }
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (error) {
    return unreadable(`The file ${path} is not valid JSON: ${reason(error)}.`);
  }
}

function unreadable(message: string): JobFile {
  return { ok: false, errors: [{ path: '$', code: 'invalid_json', message }] };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
