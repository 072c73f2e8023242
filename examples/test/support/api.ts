/** A small client of the Batchgraph HTTP API, as the editor and curl use it. */
import type { RunView } from '@batchgraph/engine';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type RunDetails = RunView & { runId: string; temporalUiUrl?: string };

export interface JobSummary {
  id: string;
  name: string;
  schedule?: { nextRunAt?: string; paused: boolean; description: string; kind: string };
}

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  as(key: string): Api {
    return new Api(this.baseUrl, key);
  }

  /** Sends a request; throws ApiError unless the status is one of `accept` (default any 2xx). */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    accept?: number[],
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text for the error message.
    }
    const ok = accept ? accept.includes(response.status) : response.ok;
    if (!ok) {
      throw new ApiError(
        `${method} ${path} answered ${response.status}: ${text.slice(0, 2000)}`,
        response.status,
        parsed,
      );
    }
    return { status: response.status, body: parsed as T };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).body;
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return (await this.request<T>('POST', path, body)).body;
  }

  async importJob(document: unknown): Promise<string> {
    return (await this.post<{ id: string }>('/api/jobs/import', document)).id;
  }

  async startRun(jobId: string, input?: unknown): Promise<string> {
    const body = input === undefined ? {} : { input };
    return (await this.post<{ runId: string }>(`/api/jobs/${jobId}/runs`, body)).runId;
  }

  run(runId: string): Promise<RunDetails> {
    return this.get<RunDetails>(`/api/runs/${encodeURIComponent(runId)}`);
  }

  /** Polls the run until `until` holds for it (404s just after the start are waited out). */
  async pollRun(
    runId: string,
    what: string,
    until: (run: RunDetails) => boolean,
    timeoutMs = 150_000,
  ): Promise<RunDetails> {
    const deadline = Date.now() + timeoutMs;
    let last: RunDetails | undefined;
    while (Date.now() < deadline) {
      try {
        last = await this.run(runId);
        if (until(last)) return last;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(
      `run ${runId} is still not ${what} after ${timeoutMs / 1000} s: ${JSON.stringify(last)}`,
    );
  }

  /** Polls the run until it is closed. */
  waitForRun(runId: string, timeoutMs?: number): Promise<RunDetails> {
    return this.pollRun(runId, 'closed', (run) => run.status !== 'running', timeoutMs);
  }

  async jobSummary(jobId: string): Promise<JobSummary> {
    const page = await this.get<{ items: JobSummary[] }>('/api/jobs?pageSize=200');
    const found = page.items.find((item) => item.id === jobId);
    if (!found) throw new Error(`GET /api/jobs does not list job ${jobId}`);
    return found;
  }
}
