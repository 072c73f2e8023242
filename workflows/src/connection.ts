/**
 * How the worker reaches Temporal: its address plus the security the engine's temporalSecurity
 * decides from the typed configuration (mTLS client certificate, or an API key over TLS).
 */
import { readFileSync } from 'node:fs';
import { temporalSecurity, type Config } from '@batchgraph/engine';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';

export function connectionOptions(config: Config): NativeConnectionOptions {
  return {
    address: config.TEMPORAL_ADDRESS,
    ...temporalSecurity(config, (path) => readFileSync(path)),
  };
}

export function connectToTemporal(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
