/**
 * How the API and the worker authenticate to Temporal, decided once from the typed configuration:
 * mTLS with a client certificate and key read from files (Temporal Cloud, secured clusters), or an
 * API key, which travels only over TLS. File reading is passed in, so the engine stays free of I/O.
 */
import type { Config } from './config';

export interface TemporalSecurity<Bytes> {
  tls?: true | { clientCertPair: { crt: Bytes; key: Bytes } };
  apiKey?: string;
}

export class TemporalSecurityError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'TemporalSecurityError';
  }
}

/** loadConfig has already checked that both certificate paths are set, or neither. */
export function temporalSecurity<Bytes>(
  config: Config,
  readFile: (path: string) => Bytes,
): TemporalSecurity<Bytes> {
  const read = (path: string, variable: string): Bytes => {
    try {
      return readFile(path);
    } catch (cause) {
      throw new TemporalSecurityError(`cannot read ${variable} (${path})`, { cause });
    }
  };
  const cert = config.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const key = config.TEMPORAL_TLS_CLIENT_KEY_PATH;
  const apiKey = config.TEMPORAL_API_KEY;
  if (cert !== undefined && key !== undefined) {
    const clientCertPair = {
      crt: read(cert, 'TEMPORAL_TLS_CLIENT_CERT_PATH'),
      key: read(key, 'TEMPORAL_TLS_CLIENT_KEY_PATH'),
    };
    return { tls: { clientCertPair }, ...(apiKey ? { apiKey } : {}) };
  }
  return apiKey ? { tls: true, apiKey } : {};
}
