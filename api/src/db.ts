/**
 * MongoDB access: the collections the API owns, their document shapes and their indexes.
 * Uniqueness (job names, job versions, key hashes, connection names) is enforced by unique
 * indexes, which FerretDB v1 supports; nothing here needs transactions.
 */
import {
  collections,
  type AuditEntry,
  type ConnectionDoc,
  type Identity,
  type TaskLogDoc,
} from '@batchgraph/engine';
import { MongoClient, type Collection, type Db, type ObjectId } from 'mongodb';
import type { Role } from './roles';

export interface JobDoc {
  _id: string;
  name: string;
  description?: string;
  currentVersion: number;
  owner: Identity;
  createdAt: Date;
  updatedAt: Date;
  /** The current version's schedule, summarized for the job list (live state is Temporal's). */
  schedule?: JobScheduleDoc;
}

export interface JobScheduleDoc {
  kind: 'cron' | 'preset' | 'interval';
  description: string;
  timezone: string;
  enabled: boolean;
}

/** One immutable version: the document as written and the plan it compiled to (JSON text, so
 * any field names a job uses survive storage unchanged). */
export interface VersionDoc {
  jobId: string;
  version: number;
  document: string;
  plan: string;
  createdAt: Date;
  createdBy: Identity;
}

/** An audit entry as stored: the served shape with Mongo's id and a real date. */
export interface AuditDoc extends Omit<AuditEntry, 'id' | 'at'> {
  _id?: ObjectId;
  at: Date;
}

export interface KeyDoc {
  _id: string;
  name: string;
  role: Role;
  hash: string;
  createdAt: Date;
  createdBy: Identity | null;
  revoked: boolean;
}

export interface Database {
  client: MongoClient;
  db: Db;
  jobs: Collection<JobDoc>;
  versions: Collection<VersionDoc>;
  audit: Collection<AuditDoc>;
  keys: Collection<KeyDoc>;
  connections: Collection<ConnectionDoc>;
  taskLogs: Collection<TaskLogDoc>;
}

/** Connects lazily: the driver reconnects by itself, so MongoDB may come and go while we run. */
export function openDatabase(uri: string, dbName: string): Database {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 2000,
    connectTimeoutMS: 2000,
    heartbeatFrequencyMS: 2000,
    maxPoolSize: 50,
  });
  const db = client.db(dbName);
  return {
    client,
    db,
    jobs: db.collection<JobDoc>(collections.jobs),
    versions: db.collection<VersionDoc>(collections.versions),
    audit: db.collection<AuditDoc>(collections.audit),
    keys: db.collection<KeyDoc>(collections.keys),
    connections: db.collection<ConnectionDoc>(collections.connections),
    taskLogs: db.collection<TaskLogDoc>(collections.taskLogs),
  };
}

export async function ensureIndexes(database: Database): Promise<void> {
  await Promise.all([
    database.jobs.createIndex({ name: 1 }, { unique: true, name: 'name_unique' }),
    database.jobs.createIndex({ updatedAt: -1 }, { name: 'updated' }),
    database.versions.createIndex(
      { jobId: 1, version: 1 },
      { unique: true, name: 'job_version_unique' },
    ),
    database.audit.createIndex({ at: -1 }, { name: 'at' }),
    database.audit.createIndex({ jobId: 1, at: -1 }, { name: 'job_at' }),
    database.keys.createIndex({ hash: 1 }, { unique: true, name: 'hash_unique' }),
    database.connections.createIndex({ name: 1 }, { unique: true, name: 'name_unique' }),
    database.taskLogs.createIndex({ runId: 1, taskId: 1, at: 1 }, { name: 'run_task_at' }),
    // Outputs are read by _id; this serves OutputStore.deleteRun.
    database.db.collection(collections.taskOutputs).createIndex({ runId: 1 }, { name: 'run' }),
  ]);
}

/**
 * Duplicate-key error of a unique index: E11000, or (FerretDB v1 on updates) an internal error
 * whose message names the violated UNIQUE constraint.
 */
export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { code?: unknown }).code === 11000) return true;
  return error instanceof Error && /UNIQUE constraint failed|duplicate key/i.test(error.message);
}
