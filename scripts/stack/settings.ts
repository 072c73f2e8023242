import { StackError } from './errors';
import type { Env } from './paths';

/** How long each part may take to answer (BATCHGRAPH_START_TIMEOUT_SECONDS, default 120). */
export function readTimeoutMs(env: Env): number {
  const raw = env.BATCHGRAPH_START_TIMEOUT_SECONDS;
  if (raw === undefined || raw === '') return 120_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new StackError(
      `BATCHGRAPH_START_TIMEOUT_SECONDS must be a positive number, not "${raw}"`,
    );
  }
  return seconds * 1000;
}

/** A connection string fit for printing: the password, if any, is masked. */
export function redactUri(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return uri.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
