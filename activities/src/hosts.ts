/**
 * Where outbound HTTP may go. The worker's allow-list (BATCHGRAPH_HTTP_ALLOWED_HOSTS) says which
 * hosts jobs may call; cloud metadata endpoints and link-local addresses are refused whatever the
 * list says, by name and after DNS resolution, and again when the connection is opened so that a
 * name re-resolving to a refused address between the check and the request is caught too.
 */
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import { buildConnector } from 'undici';
import { finalFailure, retryableFailure, rootMessage } from './errors';
import type { ProtectedEndpoints } from './protected';

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog']);

const refusedAddresses = new BlockList();
refusedAddresses.addSubnet('169.254.0.0', 16, 'ipv4');
refusedAddresses.addSubnet('fe80::', 10, 'ipv6');
refusedAddresses.addAddress('fd00:ec2::254', 'ipv6');

/** Thrown by the connect-time lookup; carried as the cause of fetch's error. */
export class HostRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostRefusedError';
  }
}

/** The host name as compared: lower case, without IPv6 brackets or a trailing dot. */
export function normalizeHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** Why an address may never be called, or undefined when it may. */
export function refusedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return refusedAddresses.check(address, type)
    ? `${address} is a cloud metadata or link-local address, which tasks may never call`
    : undefined;
}

function refusedNameReason(host: string): string | undefined {
  return METADATA_NAMES.has(host)
    ? `${host} is a cloud metadata endpoint, which tasks may never call`
    : refusedAddressReason(host);
}

interface AllowEntry {
  host: string;
  port?: string;
}

function parseEntry(entry: string): AllowEntry {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: normalizeHost(bracketed[1]!), port: bracketed[2] };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) return { host: normalizeHost(withPort[1]!), port: withPort[2] };
  return { host: normalizeHost(entry) };
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

const isCidr = (entry: string): boolean => entry.includes('/');

/** Whether an address lies in one of the list's CIDR entries (`10.0.0.0/8`, `fd00::/8`). */
function inAllowedCidr(address: string, allowed: readonly string[]): boolean {
  return allowed.filter(isCidr).some((entry) => {
    const [network, bits] = entry.trim().split('/');
    const family = isIP(network ?? '');
    if (family === 0 || family !== isIP(address)) return false;
    const list = new BlockList();
    const type = family === 4 ? 'ipv4' : 'ipv6';
    list.addSubnet(network!, Number(bits), type);
    return list.check(address, type);
  });
}

/**
 * Whether the allow-list admits the URL's host by name. Entries are `*` (any host), `host`,
 * `host:port`, `*.example.com` (any subdomain of example.com) or `[ipv6]`, and CIDR ranges
 * (`10.0.0.0/8`), which admit the addresses a name resolves to; an empty list admits nothing.
 */
export function isHostAllowed(url: URL, allowed: readonly string[]): boolean {
  const host = normalizeHost(url.hostname);
  if (isIP(host) !== 0 && inAllowedCidr(host, allowed)) return true;
  return allowed.some((raw) => {
    if (raw === '*') return true;
    if (isCidr(raw)) return false;
    const entry = parseEntry(raw.trim());
    if (entry.port !== undefined && entry.port !== effectivePort(url)) return false;
    if (entry.host.startsWith('*.')) return host.endsWith(entry.host.slice(1));
    return entry.host === host;
  });
}

/** What a destination is checked against. */
export interface OutboundPolicy {
  allowedHosts: readonly string[];
  resolve: Resolver;
  /** The product's own servers: never called, whatever the allow-list says. */
  protectedEndpoints: ProtectedEndpoints;
}

/**
 * Refuses a destination the worker may not call (non-retryable), after resolving its name and
 * checking every address. A name that does not resolve is a retryable network error.
 */
export async function checkDestination(url: URL, policy: OutboundPolicy): Promise<void> {
  const { allowedHosts: allowed, resolve } = policy;
  const host = normalizeHost(url.hostname);
  const refused = refusedNameReason(host);
  if (refused) throw finalFailure(`${url.origin} refused: ${refused}`, 'HostNotAllowed');
  const byName = isHostAllowed(url, allowed);
  if (!byName && !allowed.some(isCidr)) {
    const list =
      allowed.length === 0
        ? 'it is empty, so no outbound HTTP is allowed'
        : `it holds ${allowed.join(', ')}`;
    throw finalFailure(
      `${url.origin} refused: ${host} is not in the worker's BATCHGRAPH_HTTP_ALLOWED_HOSTS (${list})`,
      'HostNotAllowed',
    );
  }
  let addresses: string[] = [host];
  if (isIP(host) === 0) {
    try {
      addresses = await resolve(host);
    } catch (cause) {
      throw retryableFailure(
        `${url.origin}: could not resolve ${host}: ${rootMessage(cause)}`,
        'NetworkError',
        { cause },
      );
    }
  }
  for (const address of addresses) {
    const reason = refusedAddressReason(address);
    if (reason) {
      throw finalFailure(`${url.origin} refused: ${host} resolves to ${reason}`, 'HostNotAllowed');
    }
  }
  if (!byName && !addresses.every((address) => inAllowedCidr(address, allowed))) {
    throw finalFailure(
      `${url.origin} refused: ${host} is not in the worker's BATCHGRAPH_HTTP_ALLOWED_HOSTS (it holds ${allowed.join(', ')})`,
      'HostNotAllowed',
    );
  }
  const own = await policy.protectedEndpoints.refusal(url, addresses);
  if (own) throw finalFailure(`${url.origin} refused: ${own}`, 'HostNotAllowed');
}

function wantedFamily(family: number | 'IPv4' | 'IPv6' | undefined): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}

/**
 * undici's connector with the guarded lookup, refusing (before anything is sent) a socket that
 * opened to one of the product's own servers: a name may resolve differently than when it was
 * checked.
 */
export function guardedConnector(
  resolve: Resolver,
  own: ProtectedEndpoints,
): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(resolve) });
  return (options, callback) => {
    connect(options, (error, socket) => {
      if (error !== null) return callback(error, null);
      const reason = own.refusalFor(socket.remoteAddress ?? '', socket.remotePort ?? 0);
      if (reason === undefined) return callback(null, socket);
      socket.destroy();
      callback(new HostRefusedError(reason), null);
    });
  };
}

/** A socket lookup that refuses metadata and link-local addresses when the connection opens. */
export function guardedLookup(resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    const family = wantedFamily(options.family);
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.map(refusedAddressReason).find(Boolean);
        if (refused) {
          callback(new HostRefusedError(`${hostname} resolves to ${refused}`), '');
          return;
        }
        const entries: LookupAddress[] = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => family === 0 || entry.family === family);
        const first = entries[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} has no usable address`);
          error.code = 'ENOTFOUND';
          callback(error, '');
        } else if (options.all) {
          callback(null, entries);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
