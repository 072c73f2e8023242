import type { Problem } from '@batchgraph/engine';

/** An error response of the API: `{ error: { code, message, details? } }`, or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }

  /** The engine's problems carried by an `invalid_job` / `invalid_request` error. */
  get problems(): Problem[] {
    return Array.isArray(this.details) ? (this.details as Problem[]) : [];
  }

  /** For a `version_conflict`: the version now current on the server. */
  get currentVersion(): number | undefined {
    const details = this.details as { currentVersion?: unknown } | undefined;
    return typeof details?.currentVersion === 'number' ? details.currentVersion : undefined;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
