import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors';
import type { Env } from './paths';

export interface StackSecrets {
  BATCHGRAPH_ADMIN_KEY: string;
  BATCHGRAPH_SECRET_KEY: string;
  /** Encrypts what goes to Temporal (`id:base64key`). */
  BATCHGRAPH_PAYLOAD_KEYS: string;
}

const NAMES = ['BATCHGRAPH_ADMIN_KEY', 'BATCHGRAPH_SECRET_KEY', 'BATCHGRAPH_PAYLOAD_KEYS'] as const;

function generate(): StackSecrets {
  return {
    BATCHGRAPH_ADMIN_KEY: `bg_${randomBytes(16).toString('hex')}`,
    BATCHGRAPH_SECRET_KEY: randomBytes(32).toString('base64'),
    BATCHGRAPH_PAYLOAD_KEYS: `local1:${randomBytes(32).toString('base64')}`,
  };
}

export function secretsFile(dataRoot: string): string {
  return join(dataRoot, 'secrets.json');
}

function readStored(file: string): Partial<StackSecrets> {
  if (!existsSync(file)) return {};
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(
      NAMES.flatMap((name) => (typeof stored[name] === 'string' ? [[name, stored[name]]] : [])),
    );
  } catch (error) {
    throw new StackError(`${file} is not valid JSON; fix it or delete it to generate new keys`, {
      cause: error,
    });
  }
}

/**
 * The local stack's admin key and encryption key: the environment wins; otherwise they are
 * generated once and kept in the data folder, so the encrypted data and the printed admin key
 * stay valid across restarts.
 */
export function loadOrCreateSecrets(dataRoot: string, env: Env): StackSecrets {
  const file = secretsFile(dataRoot);
  const existing = readStored(file);
  const stored = { ...generate(), ...existing };
  if (NAMES.some((name) => existing[name] === undefined)) {
    mkdirSync(dataRoot, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    BATCHGRAPH_ADMIN_KEY: env.BATCHGRAPH_ADMIN_KEY || stored.BATCHGRAPH_ADMIN_KEY,
    BATCHGRAPH_SECRET_KEY: env.BATCHGRAPH_SECRET_KEY || stored.BATCHGRAPH_SECRET_KEY,
    BATCHGRAPH_PAYLOAD_KEYS: env.BATCHGRAPH_PAYLOAD_KEYS || stored.BATCHGRAPH_PAYLOAD_KEYS,
  };
}

/** The stored keys without creating any, for tools that talk to a running stack. */
export function readSecrets(dataRoot: string): Partial<StackSecrets> {
  return readStored(secretsFile(dataRoot));
}
