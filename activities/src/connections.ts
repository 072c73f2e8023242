/**
 * Credentials of named connections. The API stores them sealed in MongoDB; a task names one and
 * the activity opens it here, preferring the run's own identity's connection over a shared one.
 * The run's identity is believed only with the API's proof for this very workflow (Temporal's
 * workflow id, not the input's), so a workflow started outside the API opens no connection.
 * Secrets go into request headers only: never into outputs, errors or logs.
 */
import { collections, openSecret, runIdentityRefusal } from '@batchgraph/engine';
import type { ConnectionDoc, ConnectionSecret, RunIdentity } from '@batchgraph/engine';
import type { Info } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { finalFailure } from './errors';

export interface ConnectionDeps {
  db?: Db;
  secretKey?: string;
}

/** A connection's secret and the base URLs it may be sent to. */
export interface OpenedConnection {
  name: string;
  secret: ConnectionSecret;
  origins: string[];
}

/** Who a request is made for: the run's claimed identity and the workflow it runs in. */
export interface RunAs {
  identity: RunIdentity;
  /** From the activity's Temporal info. */
  workflowId: string;
}

/** The run's claimed identity in the workflow Temporal says this activity belongs to. */
export function runAs(identity: RunIdentity, info: Info): RunAs {
  return { identity, workflowId: info.workflowExecution?.workflowId ?? '' };
}

/**
 * Opens the connection `name` of the run's identity (or the shared one) once that identity's
 * proof holds; non-retryable when it is missing or the identity is not proven.
 */
export async function openConnection(
  deps: ConnectionDeps,
  name: string,
  runAs: RunAs | undefined,
): Promise<OpenedConnection> {
  if (!deps.secretKey) {
    throw finalFailure(
      `connection "${name}" cannot be opened: BATCHGRAPH_SECRET_KEY is not set on the worker`,
      'NotConfigured',
    );
  }
  const refused =
    runAs === undefined
      ? 'the request is made for no run identity'
      : await runIdentityRefusal(deps.secretKey, runAs.identity, runAs.workflowId);
  if (refused !== undefined) {
    throw finalFailure(
      `connection "${name}" refused: ${refused}; runs started outside the Batchgraph API use no connection`,
      'IdentityNotVerified',
    );
  }
  const owner = runAs!.identity.id;
  if (!deps.db) {
    throw finalFailure(
      `connection "${name}" cannot be read: this worker has no database (MONGODB_URI)`,
      'NotConfigured',
    );
  }
  const owners = [owner, null];
  const docs = await deps.db
    .collection<ConnectionDoc>(collections.connections)
    .find({ name, owner: { $in: owners } })
    .toArray();
  const doc = docs.find((candidate) => candidate.owner === owner) ?? docs.find((d) => !d.owner);
  if (!doc) {
    throw finalFailure(
      `connection "${name}" not found (neither one of ${owner} nor a shared one)`,
      'ConnectionNotFound',
    );
  }
  try {
    return {
      name,
      secret: await openSecret(deps.secretKey, doc.sealed),
      origins: doc.origins ?? [],
    };
  } catch (cause) {
    throw finalFailure(`connection "${name}" cannot be opened`, 'NotConfigured', { cause });
  }
}

/** The request headers that carry a connection's credentials. */
export function credentialHeaders(secret: ConnectionSecret): Record<string, string> {
  switch (secret.kind) {
    case 'bearer':
      return { Authorization: `Bearer ${secret.token}` };
    case 'basic': {
      const pair = Buffer.from(`${secret.username}:${secret.password}`, 'utf8').toString('base64');
      return { Authorization: `Basic ${pair}` };
    }
    case 'header':
      return { [secret.header]: secret.value };
  }
}

/** The secret's values as they may appear on the wire (for scrubbing them from responses). */
export function secretValues(secret: ConnectionSecret): string[] {
  const headers = Object.values(credentialHeaders(secret));
  switch (secret.kind) {
    case 'bearer':
      return [secret.token, ...headers];
    case 'basic':
      return [secret.password, ...headers];
    case 'header':
      return [secret.value];
  }
}

const effectivePort = (url: URL): string => url.port || (url.protocol === 'https:' ? '443' : '80');

/**
 * Whether `url` is under `origin` (a base URL): same scheme, host and port, and a path under the
 * origin's path at a segment boundary (`/api` covers `/api` and `/api/x`, not `/apix`).
 */
export function isUnderOrigin(url: URL, origin: string): boolean {
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    return false;
  }
  if (base.protocol !== url.protocol) return false;
  if (base.hostname.toLowerCase() !== url.hostname.toLowerCase()) return false;
  if (effectivePort(base) !== effectivePort(url)) return false;
  const prefix = base.pathname.replace(/\/+$/, '');
  return url.pathname === prefix || url.pathname.startsWith(`${prefix}/`) || prefix === '';
}

export function isUnderOrigins(url: URL, origins: readonly string[]): boolean {
  return origins.some((origin) => isUnderOrigin(url, origin));
}
