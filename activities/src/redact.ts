/**
 * What of a response may become a task output or an error: credential-carrying headers are
 * redacted, and the secret values of the connection used never appear, wherever the server
 * echoed them (outputs and errors are read by every viewer, and land in Temporal).
 */
export const REDACTED = '[redacted]';

/** Headers that carry credentials in either direction. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'set-cookie', 'cookie'];

/** Secret values shorter than this are not scrubbed from text (they would match by chance). */
const MIN_SCRUBBED_LENGTH = 6;

export class Redactor {
  private readonly headers: Set<string>;

  constructor(
    extraHeaders: readonly string[],
    private readonly secrets: readonly string[] = [],
  ) {
    this.headers = new Set([...CREDENTIAL_HEADERS, ...extraHeaders].map((h) => h.toLowerCase()));
  }

  /** The same redactor, also scrubbing `secrets` (and redacting `headers`) of one connection. */
  with(secrets: readonly string[], headers: readonly string[]): Redactor {
    return new Redactor(
      [...this.headers, ...headers],
      secrets.filter((value) => value.length >= MIN_SCRUBBED_LENGTH),
    );
  }

  text(value: string): string {
    let result = value;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result;
  }

  responseHeaders(headers: Iterable<[string, string]>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of headers) {
      result[name] = this.headers.has(name.toLowerCase()) ? REDACTED : this.text(value);
    }
    return result;
  }

  /** `value` with every secret scrubbed from its strings (and keys). */
  value(value: unknown): unknown {
    if (this.secrets.length === 0) return value;
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [this.text(key), this.value(item)]),
      );
    }
    return value;
  }
}
