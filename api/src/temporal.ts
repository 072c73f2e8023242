/**
 * The Temporal client and the search attributes every run carries. The connection is lazy and
 * retries only briefly, so a Temporal outage answers 503 quickly and the next call after it
 * comes back simply works.
 */
import { readFileSync } from 'node:fs';
import {
  EncryptionCodec,
  parsePayloadKeys,
  temporalSecurity,
  type Config,
  type RunTrigger,
} from '@batchgraph/engine';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';
import {
  defineSearchAttributeKey,
  type PayloadCodec,
  SearchAttributeType,
  type SearchAttributePair,
} from '@temporalio/common';

export const searchAttributes = {
  jobId: defineSearchAttributeKey('BatchgraphJobId', SearchAttributeType.KEYWORD),
  jobName: defineSearchAttributeKey('BatchgraphJobName', SearchAttributeType.KEYWORD),
  version: defineSearchAttributeKey('BatchgraphVersion', SearchAttributeType.INT),
  trigger: defineSearchAttributeKey('BatchgraphTrigger', SearchAttributeType.KEYWORD),
} as const;

export interface RunAttributes {
  jobId: string;
  jobName: string;
  version: number;
  trigger: RunTrigger;
}

export function runSearchAttributes(run: RunAttributes): SearchAttributePair[] {
  return [
    { key: searchAttributes.jobId, value: run.jobId },
    { key: searchAttributes.jobName, value: run.jobName },
    { key: searchAttributes.version, value: run.version },
    { key: searchAttributes.trigger, value: run.trigger },
  ];
}

export interface Temporal {
  client: Client;
  /** Applied to every payload (the run reader decodes raw history with them too). */
  codecs: PayloadCodec[];
  connection: Connection;
  address: string;
  namespace: string;
}

/** How the client authenticates: mTLS with a client certificate, or an API key (over TLS). */
export type TemporalSecurity = Pick<ConnectionOptions, 'tls' | 'apiKey'>;

/** Decided by the engine's temporalSecurity from the typed configuration. */
export function clientSecurity(config: Config): TemporalSecurity {
  return temporalSecurity(config, (path) => readFileSync(path));
}

/** The payload codec of every Batchgraph client and worker, when payload keys are configured. */
export async function payloadCodecs(config: Config): Promise<PayloadCodec[]> {
  const keys = parsePayloadKeys(config.BATCHGRAPH_PAYLOAD_KEYS);
  return keys === undefined ? [] : [await EncryptionCodec.create(keys)];
}

export function openTemporal(
  address: string,
  namespace: string,
  security: TemporalSecurity = {},
  codecs: PayloadCodec[] = [],
): Temporal {
  const connection = Connection.lazy({
    address,
    ...security,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))],
    // gRPC backs off reconnecting up to two minutes by default; keep recovery quick.
    channelArgs: {
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 3000,
    },
  });
  const client = new Client({ connection, namespace, dataConverter: { payloadCodecs: codecs } });
  return { client, connection, address, namespace, codecs };
}

/** The server's version; throws when Temporal cannot be reached within two seconds. */
export async function temporalVersion(temporal: Temporal): Promise<string> {
  const info = await temporal.connection.withDeadline(Date.now() + 2000, () =>
    temporal.connection.workflowService.getSystemInfo({}),
  );
  return info.serverVersion ?? 'unknown';
}

/** A visibility query string literal. */
export function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
