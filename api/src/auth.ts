/**
 * API keys: `bg_` + 32 random bytes in hex, stored only as their SHA-256. Every request but the
 * public ones carries one as a bearer token; its key names the caller and their role.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Identity } from '@batchgraph/engine';
import type { Request, RequestHandler, Response } from 'express';
import type { Database, KeyDoc } from './db';
import { HttpError } from './errors';
import { roleAtLeast, type Role } from './roles';

export interface Caller extends Identity {
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Locals {
    caller?: Caller;
  }
}

export function generateKey(): string {
  return `bg_${randomBytes(32).toString('hex')}`;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Short-lived cache of key lookups; revocations through this process clear it at once. */
export class KeyCache {
  private readonly entries = new Map<string, { caller: Caller | null; until: number }>();

  constructor(
    private readonly database: Database,
    private readonly ttlMs = 5000,
  ) {}

  async lookup(key: string): Promise<Caller | null> {
    const hash = hashKey(key);
    const now = Date.now();
    const cached = this.entries.get(hash);
    if (cached && cached.until > now) return cached.caller;
    const doc = await this.database.keys.findOne({ hash, revoked: false });
    const caller = doc ? { id: doc._id, name: doc.name, role: doc.role } : null;
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(hash, { caller, until: now + this.ttlMs });
    return caller;
  }

  clear(): void {
    this.entries.clear();
  }
}

function presentedKey(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  // EventSource cannot send headers, so the run-events stream (and only its GET) takes the key
  // in the query.
  const token = req.query['access_token'];
  if (req.method === 'GET' && EVENTS_PATH.test(req.path) && typeof token === 'string') {
    return token;
  }
  return undefined;
}

const EVENTS_PATH = /^\/runs\/[^/]+\/events$/;

/** Failed keys a client may present per minute before it is refused for the rest of it. */
export const MAX_FAILED_KEYS_PER_MINUTE = 20;

/** Counts failed keys per client address, so keys cannot be guessed at the request rate limit. */
class FailedKeys {
  private readonly clients = new Map<string, { count: number; until: number }>();

  /** Seconds the client must wait, or 0 when it may try again. */
  blockedFor(client: string, now: number): number {
    const entry = this.clients.get(client);
    if (entry === undefined || entry.until <= now) return 0;
    return entry.count >= MAX_FAILED_KEYS_PER_MINUTE ? Math.ceil((entry.until - now) / 1000) : 0;
  }

  failed(client: string, now: number): void {
    const entry = this.clients.get(client);
    if (entry === undefined || entry.until <= now) {
      if (this.clients.size > 100_000) this.clients.clear();
      this.clients.set(client, { count: 1, until: now + 60_000 });
    } else entry.count += 1;
  }
}

export function authenticate(keys: KeyCache): RequestHandler {
  const failures = new FailedKeys();
  return async (req, res, next) => {
    const key = presentedKey(req);
    if (key === undefined) {
      throw new HttpError(401, 'unauthenticated', 'Send an API key: Authorization: Bearer <key>');
    }
    const client = req.ip ?? 'unknown';
    const wait = failures.blockedFor(client, Date.now());
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new HttpError(
        429,
        'rate_limited',
        `Too many unknown API keys from this client; try again in ${wait} s`,
      );
    }
    const caller = key.length <= 200 ? await keys.lookup(key) : null;
    if (caller === null) {
      failures.failed(client, Date.now());
      throw new HttpError(401, 'unauthenticated', 'Unknown or revoked API key');
    }
    res.locals.caller = caller;
    next();
  };
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller;
  if (caller === undefined) throw new HttpError(401, 'unauthenticated', 'Not authenticated');
  return caller;
}

export function identityOf(res: Response): Identity {
  const { id, name } = callerOf(res);
  return { id, name };
}

export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const caller = callerOf(res);
    if (!roleAtLeast(caller.role, role)) {
      throw new HttpError(
        403,
        'forbidden',
        `This needs the ${role} role (or higher); your key has ${caller.role}`,
      );
    }
    next();
  };
}

export async function createKey(
  database: Database,
  name: string,
  role: Role,
  createdBy: Identity | null,
): Promise<{ id: string; key: string }> {
  const key = generateKey();
  const id = `key_${randomBytes(6).toString('hex')}`;
  const doc: KeyDoc = {
    _id: id,
    name,
    role,
    hash: hashKey(key),
    createdAt: new Date(),
    createdBy,
    revoked: false,
  };
  await database.keys.insertOne(doc);
  return { id, key };
}

/** BATCHGRAPH_ADMIN_KEY becomes the first admin key while no key exists yet. */
export async function seedAdminKey(
  database: Database,
  adminKey: string | undefined,
): Promise<void> {
  if (adminKey === undefined) return;
  if ((await database.keys.countDocuments({}, { limit: 1 })) > 0) return;
  const doc: KeyDoc = {
    _id: 'key_admin',
    name: 'admin',
    role: 'admin',
    hash: hashKey(adminKey),
    createdAt: new Date(),
    createdBy: null,
    revoked: false,
  };
  await database.keys.insertOne(doc).catch((error: unknown) => {
    // Another API instance seeded it at the same moment.
    if ((error as { code?: unknown }).code !== 11000) throw error;
  });
}
