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
import { finalFailure, retryableFailure, rootMessage } from './errors';

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

/**
 * Whether the allow-list admits the URL's host. Entries are `*` (any host), `host`, `host:port`,
 * `*.example.com` (any subdomain of example.com) or `[ipv6]`; an empty list admits nothing.
 */
export function isHostAllowed(url: URL, allowed: readonly string[]): boolean {
  const host = normalizeHost(url.hostname);
  return allowed.some((raw) => {
    if (raw === '*') return true;
    const entry = parseEntry(raw.trim());
    if (entry.port !== undefined && entry.port !== effectivePort(url)) return false;
    if (entry.host.startsWith('*.')) return host.endsWith(entry.host.slice(1));
    return entry.host === host;
  });
}

/**
 * Refuses a destination the worker may not call (non-retryable), after resolving its name and
 * checking every address. A name that does not resolve is a retryable network error.
 */
export async function checkDestination(
  url: URL,
  allowed: readonly string[],
  resolve: Resolver,
): Promise<void> {
  const host = normalizeHost(url.hostname);
  const refused = refusedNameReason(host);
  if (refused) throw finalFailure(`${url.origin} refused: ${refused}`, 'HostNotAllowed');
  if (!isHostAllowed(url, allowed)) {
    const list =
      allowed.length === 0
        ? 'it is empty, so no outbound HTTP is allowed'
        : `it holds ${allowed.join(', ')}`;
    throw finalFailure(
      `${url.origin} refused: ${host} is not in the worker's BATCHGRAPH_HTTP_ALLOWED_HOSTS (${list})`,
      'HostNotAllowed',
    );
  }
  if (isIP(host) !== 0) return;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (cause) {
    throw retryableFailure(
      `${url.origin}: could not resolve ${host}: ${rootMessage(cause)}`,
      'NetworkError',
      { cause },
    );
  }
  for (const address of addresses) {
    const reason = refusedAddressReason(address);
    if (reason) {
      throw finalFailure(`${url.origin} refused: ${host} resolves to ${reason}`, 'HostNotAllowed');
    }
  }
}

function wantedFamily(family: number | 'IPv4' | 'IPv6' | undefined): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
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
