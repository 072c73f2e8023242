/** What the global setup hands the end-to-end test files. */
import { join } from 'node:path';
import { inject } from 'vitest';
import type { HttpStandin } from '../../src/standins';
import { Api } from '../support/api';
import { Child, WORKER_ENTRY } from '../support/processes';

export interface E2eStack {
  apiUrl: string;
  adminKey: string;
  /** Origins of the stand-ins this run started on free ports. */
  standins: Record<HttpStandin, string>;
  /** The environment the API and the worker run with (for more worker processes). */
  env: Record<string, string>;
  /** The job's default task queue, unique to this test run. */
  taskQueue: string;
  /** Where the child processes write their logs. */
  logDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eStack;
  }
}

export function stack(): E2eStack {
  return inject('e2e');
}

export function adminApi(): Api {
  const { apiUrl, adminKey } = stack();
  return new Api(apiUrl, adminKey);
}

/**
 * Starts one more worker process that serves only `queue` (a worker pool such as `sync`); it logs
 * at info level so that its "worker started" line shows when it polls.
 */
export function startPoolWorker(queue: string): Child {
  const { env, logDir } = stack();
  return Child.start(
    `worker for queue ${queue}`,
    WORKER_ENTRY,
    { ...env, BATCHGRAPH_WORKER_QUEUES: queue, BATCHGRAPH_LOG_LEVEL: 'info' },
    join(logDir, `worker-${queue}.log`),
  );
}

/** The inspection endpoint (`GET /_state`) of a stand-in. */
export async function standinState<T>(name: HttpStandin): Promise<T> {
  const response = await fetch(`${stack().standins[name]}/_state`);
  if (!response.ok) throw new Error(`${name} stand-in /_state answered ${response.status}`);
  return (await response.json()) as T;
}

export interface InboxMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Messages the SMTP sink received for `address`. */
export async function messagesTo(address: string): Promise<InboxMessage[]> {
  const response = await fetch(`${stack().standins.inbox}/messages`);
  const { messages } = (await response.json()) as { messages: InboxMessage[] };
  return messages.filter((message) => message.to.includes(address));
}
