/** A small fetch wrapper over the API: bearer auth, JSON in and out, typed errors. */
import { ApiError } from './errors';
import { storedKey } from './session';

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Overrides the stored key (the sign-in screen checks a key before keeping it). */
  key?: string;
}

/** Called when the API says the key is no longer valid, so the app can return to sign-in. */
let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ''}`;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.key ?? storedKey();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'The API cannot be reached. Is it running?', undefined, {
      cause,
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const payload = parseJson(text);
  if (!response.ok) {
    const error = readError(payload);
    if (response.status === 401 && options.key === undefined) onUnauthenticated?.();
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.details,
    );
  }
  return payload as T;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readError(
  payload: unknown,
): { code: string; message: string; details?: unknown } | undefined {
  if (typeof payload !== 'object' || payload === null || !('error' in payload)) return undefined;
  const error = (payload as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, details } = error as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : 'error',
    message: typeof message === 'string' ? message : 'The request failed.',
    details,
  };
}

/** The URL of an SSE stream; EventSource cannot send headers, so the key rides in the query. */
export function streamUrl(path: string): string {
  return apiUrl(path, { access_token: storedKey() });
}

/** Saves a response body as a file (used by export). */
export async function download(path: string, fallbackName: string): Promise<void> {
  const data = await api<unknown>(path);
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fallbackName;
  link.click();
  URL.revokeObjectURL(link.href);
}
