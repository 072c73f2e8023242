/**
 * The product's own servers, which outbound HTTP never reaches whatever the allow-list says
 * (DESIGN.md, Identity and permissions): Temporal's frontend (gRPC and HTTP) and UI, MongoDB, the
 * API, the editor, the metrics endpoint and any address in BATCHGRAPH_HTTP_PROTECTED. The worker
 * knows them from its configuration; requests are compared by resolved IP address and port,
 * before connecting and again on the socket that opened (so a name re-resolving in between is
 * caught too, before anything is sent).
 */
import type { Config } from '@batchgraph/engine';
import { BlockList, isIP } from 'node:net';
import type { Resolver } from './hosts';
import { normalizeHost } from './hosts';

export interface Endpoint {
  host: string;
  port: number;
  /** What it is, for the refusal message. */
  what: string;
}

const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443 };

function fromUrl(value: string | undefined, what: string): Endpoint[] {
  if (value === undefined) return [];
  try {
    const url = new URL(value);
    const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
    return port === undefined ? [] : [{ host: normalizeHost(url.hostname), port, what }];
  } catch {
    return [];
  }
}

/** `host:port`, `[v6]:port`; a missing port is `defaultPort`. */
function fromAddress(value: string, what: string, defaultPort?: number): Endpoint[] {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:]+)(?::(\d+))?$/.exec(value);
  if (!match?.[1]) return [];
  const port = match[2] !== undefined ? Number(match[2]) : defaultPort;
  return port === undefined ? [] : [{ host: normalizeHost(match[1]), port, what }];
}

/** The hosts of a MongoDB connection string (`mongodb://user:pw@a:27017,b:27018/db`). */
function fromMongoUri(uri: string): Endpoint[] {
  const match = /^mongodb(\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri);
  if (!match?.[2]) return [];
  return match[2]
    .split(',')
    .flatMap((address) => fromAddress(address, 'MongoDB (MONGODB_URI)', 27017));
}

/** Every endpoint of the product the configuration names. */
export function productEndpoints(config: Config): Endpoint[] {
  return [
    ...fromAddress(config.TEMPORAL_ADDRESS, 'Temporal (TEMPORAL_ADDRESS)', 7233),
    ...fromUrl(config.TEMPORAL_UI_URL, 'Temporal UI (TEMPORAL_UI_URL)'),
    ...fromMongoUri(config.MONGODB_URI),
    ...fromAddress(
      `${config.BATCHGRAPH_API_HOST.includes(':') ? `[${config.BATCHGRAPH_API_HOST}]` : config.BATCHGRAPH_API_HOST}:${config.BATCHGRAPH_API_PORT}`,
      'the Batchgraph API (BATCHGRAPH_API_HOST/PORT)',
    ),
    ...fromUrl(config.BATCHGRAPH_PUBLIC_URL, 'the editor (BATCHGRAPH_PUBLIC_URL)'),
    ...config.BATCHGRAPH_EDITOR_ORIGIN.split(',').flatMap((origin) =>
      fromUrl(origin.trim(), 'the editor (BATCHGRAPH_EDITOR_ORIGIN)'),
    ),
    ...(config.BATCHGRAPH_METRICS_PORT === undefined
      ? []
      : fromAddress(
          `${config.BATCHGRAPH_METRICS_HOST}:${config.BATCHGRAPH_METRICS_PORT}`,
          'metrics (BATCHGRAPH_METRICS_HOST/PORT)',
        )),
    ...config.BATCHGRAPH_HTTP_PROTECTED.flatMap((address) =>
      fromAddress(address, 'a protected address (BATCHGRAPH_HTTP_PROTECTED)'),
    ),
  ];
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

const isLoopback = (address: string): boolean =>
  loopback.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
const isUnspecified = (address: string): boolean => address === '0.0.0.0' || address === '::';
const unmapped = (address: string): string =>
  address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/**
 * Whether a server listening on `bound` answers a connection to `target`: the same address; any
 * loopback address for a loopback one (a server on 127.0.0.1 is what 127.0.0.2 or ::1 may reach
 * through a proxying resolver); anything for an unspecified one (0.0.0.0 listens everywhere).
 */
function reaches(target: string, bound: string): boolean {
  const a = unmapped(target);
  const b = unmapped(bound);
  if (isUnspecified(b) || a === b) return true;
  return isLoopback(a) && isLoopback(b);
}

export class ProtectedEndpoints {
  private resolved: Promise<{ address: string; port: number; what: string }[]> | undefined;
  private known: { address: string; port: number; what: string }[] = [];

  constructor(
    private readonly endpoints: readonly Endpoint[],
    private readonly resolve: Resolver,
  ) {}

  /** The endpoints' addresses, resolved once (a name that does not resolve protects by name). */
  private addresses(): Promise<{ address: string; port: number; what: string }[]> {
    this.resolved ??= Promise.all(
      this.endpoints.map(async (endpoint) => {
        const addresses =
          isIP(endpoint.host) !== 0
            ? [endpoint.host]
            : await this.resolve(endpoint.host).catch(() => [] as string[]);
        return addresses.map((address) => ({ address, port: endpoint.port, what: endpoint.what }));
      }),
    ).then((lists) => (this.known = lists.flat()));
    return this.resolved;
  }

  /** Why `address:port` may not be called, or undefined. Uses the addresses resolved so far. */
  refusalFor(address: string, port: number): string | undefined {
    const hit = this.known.find((entry) => entry.port === port && reaches(address, entry.address));
    return hit && `${address}:${port} is ${hit.what}, which tasks may never call`;
  }

  /** Why the URL may not be called (by name and by every address it resolves to), or undefined. */
  async refusal(url: URL, addresses: readonly string[]): Promise<string | undefined> {
    await this.addresses();
    const port = url.port ? Number(url.port) : (defaultPorts[url.protocol] ?? 0);
    const host = normalizeHost(url.hostname);
    const byName = this.endpoints.find((entry) => entry.host === host && entry.port === port);
    if (byName) return `${host}:${port} is ${byName.what}, which tasks may never call`;
    for (const address of addresses) {
      const reason = this.refusalFor(address, port);
      if (reason) return reason;
    }
    return undefined;
  }
}
