/**
 * How the worker reaches Temporal: its address, plus mTLS (a client certificate and key read from
 * files, as Temporal Cloud and secured clusters want) or an API key, from the typed configuration.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '@batchgraph/engine';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';

export class TemporalTlsError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'TemporalTlsError';
  }
}

function readPem(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new TemporalTlsError(`cannot read ${variable} (${path})`, { cause });
  }
}

/** loadConfig has checked that both paths are set, or neither. */
export function connectionOptions(config: Config): NativeConnectionOptions {
  const cert = config.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const key = config.TEMPORAL_TLS_CLIENT_KEY_PATH;
  const apiKey = config.TEMPORAL_API_KEY;
  const clientCertPair =
    cert !== undefined && key !== undefined
      ? {
          crt: readPem(cert, 'TEMPORAL_TLS_CLIENT_CERT_PATH'),
          key: readPem(key, 'TEMPORAL_TLS_CLIENT_KEY_PATH'),
        }
      : undefined;
  return {
    address: config.TEMPORAL_ADDRESS,
    // An API key travels only over TLS.
    ...(clientCertPair ? { tls: { clientCertPair } } : apiKey ? { tls: true } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

export function connectToTemporal(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
