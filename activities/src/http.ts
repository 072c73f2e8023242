/**
 * The `http` task: one HTTP request with the run's credentials and an idempotency key, the
 * response kept as the task's output. foreach items, foreach sources, webhooks and run
 * notifications all go through `performHttp`, so every outbound request passes the same checks.
 */
import type { HttpParams } from '@batchgraph/engine';
import { ApplicationFailure } from '@temporalio/common';
import type { Dispatcher } from 'undici';
import { Headers, fetch } from 'undici';
import type { Response } from 'undici';
import type { HttpOutput } from './contract';
import { readCapped, readPrefix, truncate } from './bounded';
import type { ConnectionDeps, RunAs } from './connections';
import { credentialHeaders, isUnderOrigins, openConnection, secretValues } from './connections';
import type { OpenedConnection } from './connections';
import type { Redactor } from './redact';
import { finalFailure, retryableFailure, rootMessage, throwIfCancelled } from './errors';
import type { OutboundPolicy } from './hosts';
import { HostRefusedError, checkDestination } from './hosts';

export interface HttpDeps extends OutboundPolicy {
  /** Redacts credential headers (and, per request, the connection's secret) from responses. */
  redactor: Redactor;
  /** Opens connections with a lookup that re-checks addresses (see hosts.ts guardedLookup). */
  dispatcher: Dispatcher;
  connections: ConnectionDeps;
  /** BATCHGRAPH_MAX_TASK_OUTPUT_BYTES: a longer response body fails the request. */
  maxOutputBytes: number;
}

export interface HttpCall {
  params: HttpParams;
  /** The same for every attempt of the same request, so a server can de-duplicate retries. */
  idempotencyKey: string;
  /** The run's identity and Temporal's workflow id, checked before any connection opens. */
  runAs?: RunAs;
  signal: AbortSignal;
  timeoutMs: number;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ERROR_BODY_CHARS = 200;
const MAX_RETRY_AFTER_SECONDS = 3600;

/** `runId/taskId[/itemIndex]`, each part URI-encoded so it is a valid header value. */
export function idempotencyKey(
  runId: string,
  taskId: string,
  ...more: (string | number)[]
): string {
  return [runId, taskId, ...more].map((part) => encodeURIComponent(String(part))).join('/');
}

/** Default expectation: any 2xx. */
function isExpected(status: number, params: HttpParams): boolean {
  return params.expectStatus ? params.expectStatus.includes(status) : status >= 200 && status < 300;
}

/**
 * Whether an unexpected status is final. Default: every 4xx except 408 (timeout) and 429 (rate
 * limited) — and unexpected 1xx–3xx, which the same request would get again; 5xx are retried.
 */
function isFinal(status: number, params: HttpParams): boolean {
  if (params.finalStatus) return params.finalStatus.includes(status);
  return status < 500 && status !== 408 && status !== 429;
}

function buildUrl(params: HttpParams): URL {
  let url: URL;
  try {
    url = new URL(params.url);
  } catch (cause) {
    throw finalFailure(`"${truncate(params.url, 200)}" is not a valid URL`, 'BadParams', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw finalFailure(`${url.protocol} URLs are not supported (only http and https)`, 'BadParams');
  }
  for (const [name, value] of Object.entries(params.query ?? {})) url.searchParams.set(name, value);
  return url;
}

/** Method and address without query or user info, for messages (a query may hold tokens). */
function describe(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

interface Payload {
  body?: string;
  contentType?: string;
}

function payload(method: string, body: unknown): Payload {
  if (body === undefined) return {};
  if (method === 'GET' || method === 'HEAD') {
    throw finalFailure(`a ${method} request cannot have a body`, 'BadParams');
  }
  return typeof body === 'string'
    ? { body, contentType: 'text/plain; charset=utf-8' }
    : { body: JSON.stringify(body), contentType: 'application/json' };
}

function requestHeaders(call: HttpCall, contentType: string | undefined): Headers {
  let headers: Headers;
  try {
    headers = new Headers(call.params.headers);
  } catch (cause) {
    throw finalFailure(`invalid request headers: ${rootMessage(cause)}`, 'BadParams', { cause });
  }
  if (!headers.has('idempotency-key')) headers.set('Idempotency-Key', call.idempotencyKey);
  if (contentType && !headers.has('content-type')) headers.set('Content-Type', contentType);
  return headers;
}

function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value)
    ? Number(value)
    : Math.ceil((Date.parse(value) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_RETRY_AFTER_SECONDS
    ? seconds
    : undefined;
}

async function statusFailure(
  what: string,
  response: Response,
  params: HttpParams,
  redactor: Redactor,
): Promise<Error> {
  const excerpt = await readExcerpt(response, redactor);
  const message = `${what} → ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : ''}`;
  const details = [{ status: response.status, body: excerpt }];
  if (isFinal(response.status, params)) return finalFailure(message, 'HttpStatus', { details });
  const delay = retryAfterSeconds(response);
  return retryableFailure(message, 'HttpStatus', {
    details,
    nextRetryDelay: delay === undefined ? undefined : `${delay}s`,
  });
}

/** A short excerpt of the body, secrets scrubbed before it is cut (so no part of one shows). */
async function readExcerpt(response: Response, redactor: Redactor): Promise<string> {
  try {
    const bytes = await readPrefix(response.body, 16 * ERROR_BODY_CHARS);
    return truncate(redactor.text(bytes.toString('utf8')).trim(), ERROR_BODY_CHARS);
  } catch {
    return '';
  }
}

function parseBody(bytes: Buffer, contentType: string | null): unknown {
  const text = bytes.toString('utf8');
  if (!contentType || !/[/+]json\b/i.test(contentType) || text.trim() === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function transportFailure(
  error: unknown,
  what: string,
  call: HttpCall,
  timeout: AbortSignal,
): Error {
  throwIfCancelled(call.signal);
  if (error instanceof ApplicationFailure) return error;
  if (timeout.aborted) {
    return retryableFailure(`${what} → no response within ${call.timeoutMs / 1000}s`, 'Timeout', {
      cause: error,
    });
  }
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof HostRefusedError) {
      return finalFailure(`${what} refused: ${cause.message}`, 'HostNotAllowed', { cause });
    }
  }
  return retryableFailure(`${what} → network error: ${rootMessage(error)}`, 'NetworkError', {
    cause: error,
  });
}

/** Sends the request (following up to 5 redirects, each checked) and returns the response. */
async function send(
  deps: HttpDeps,
  call: HttpCall,
  url: URL,
  connection: OpenedConnection | undefined,
  signal: AbortSignal,
): Promise<{ response: Response; url: URL; method: string }> {
  let method = call.params.method ?? 'GET';
  let { body, contentType } = payload(method, call.params.body);
  let current = url;
  for (let hop = 0; ; hop += 1) {
    const headers = requestHeaders(call, contentType);
    // Credentials go only to the connection's own base URLs, also across redirects.
    if (connection !== undefined && isUnderOrigins(current, connection.origins)) {
      for (const [name, value] of Object.entries(credentialHeaders(connection.secret))) {
        headers.set(name, value);
      }
    }
    const response = await fetch(current, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal,
      dispatcher: deps.dispatcher,
    });
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) {
      return { response, url: current, method };
    }
    await response.body?.cancel();
    if (hop === MAX_REDIRECTS) {
      throw finalFailure(
        `${describe(method, url)} → more than ${MAX_REDIRECTS} redirects`,
        'HttpStatus',
      );
    }
    const next = new URL(location, current);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw finalFailure(`${describe(method, current)} redirects to ${next.protocol}`, 'BadParams');
    }
    await checkDestination(next, deps);
    if (response.status === 303 || (response.status <= 302 && method === 'POST')) {
      method = 'GET';
      body = undefined;
      contentType = undefined;
    }
    current = next;
  }
}

export async function performHttp(deps: HttpDeps, call: HttpCall): Promise<HttpOutput> {
  const url = buildUrl(call.params);
  const what = describe(call.params.method ?? 'GET', url);
  await checkDestination(url, deps);
  const connection = call.params.connection
    ? await openConnection(deps.connections, call.params.connection, call.runAs)
    : undefined;
  if (connection !== undefined && !isUnderOrigins(url, connection.origins)) {
    const where =
      connection.origins.length === 0
        ? 'it declares no origins (an admin must set them)'
        : `it may be sent only under ${connection.origins.join(', ')}`;
    throw finalFailure(
      `${what} refused: connection "${connection.name}" is not for this URL; ${where}`,
      'ConnectionNotAllowed',
    );
  }
  const redactor =
    connection === undefined
      ? deps.redactor
      : deps.redactor.with(
          secretValues(connection.secret),
          Object.keys(credentialHeaders(connection.secret)),
        );
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = AbortSignal.any([call.signal, timeout]);
  try {
    const { response, url: final, method } = await send(deps, call, url, connection, signal);
    const where = describe(method, final);
    if (!isExpected(response.status, call.params)) {
      throw await statusFailure(where, response, call.params, redactor);
    }
    const bytes = await readCapped(
      response.body,
      `the response body of ${where}`,
      deps.maxOutputBytes,
    );
    return {
      status: response.status,
      headers: redactor.responseHeaders(response.headers),
      body: redactor.value(parseBody(bytes, response.headers.get('content-type'))),
    };
  } catch (error) {
    throw transportFailure(error, what, call, timeout);
  }
}
