/**
 * Credentials of named connections. The API stores them sealed in MongoDB; a task names one and
 * the activity opens it here, preferring the run's own identity's connection over a shared one.
 * Secrets go into request headers only: never into outputs, errors or logs.
 */
import { collections, openSecret } from '@batchgraph/engine';
import type { ConnectionDoc, ConnectionSecret } from '@batchgraph/engine';
import type { Db } from 'mongodb';
import { finalFailure } from './errors';

export interface ConnectionDeps {
  db?: Db;
  secretKey?: string;
}

/** Opens the connection `name` of `owner` (or the shared one); non-retryable when it is missing. */
export async function openConnection(
  deps: ConnectionDeps,
  name: string,
  owner: string | undefined,
): Promise<ConnectionSecret> {
  if (!deps.db) {
    throw finalFailure(
      `connection "${name}" cannot be read: this worker has no database (MONGODB_URI)`,
      'NotConfigured',
    );
  }
  const owners = owner === undefined ? [null] : [owner, null];
  const docs = await deps.db
    .collection<ConnectionDoc>(collections.connections)
    .find({ name, owner: { $in: owners } })
    .toArray();
  const doc = docs.find((candidate) => candidate.owner === owner) ?? docs.find((d) => !d.owner);
  if (!doc) {
    const whose =
      owner === undefined ? 'no shared one' : `neither one of ${owner} nor a shared one`;
    throw finalFailure(`connection "${name}" not found (${whose})`, 'ConnectionNotFound');
  }
  if (!deps.secretKey) {
    throw finalFailure(
      `connection "${name}" cannot be opened: BATCHGRAPH_SECRET_KEY is not set on the worker`,
      'NotConfigured',
    );
  }
  try {
    return await openSecret(deps.secretKey, doc.sealed);
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
