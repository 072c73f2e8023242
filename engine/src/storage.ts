/**
 * MongoDB documents that both the API and the activities read or write. Collection names and
 * shapes live here once, so the two sides cannot drift.
 */

export const collections = {
  jobs: 'jobs',
  versions: 'job_versions',
  audit: 'audit',
  keys: 'api_keys',
  connections: 'connections',
  taskLogs: 'task_logs',
  taskOutputs: 'task_outputs',
  notifications: 'notifications',
} as const;

export const connectionKinds = ['bearer', 'basic', 'header'] as const;
export type ConnectionKind = (typeof connectionKinds)[number];

/** Secrets of a connection, by kind; stored only sealed (see secrets.ts). */
export type ConnectionSecret =
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'header'; header: string; value: string };

export interface SealedSecret {
  iv: string;
  data: string;
}

export interface ConnectionDoc {
  name: string;
  kind: ConnectionKind;
  /** Identity id that owns it; null for a connection shared by everyone. */
  owner: string | null;
  description?: string;
  /**
   * Base URLs (scheme, host, port, path prefix) the secret may be sent to; requests elsewhere
   * get no credentials. Missing on connections stored before origins existed: usable nowhere.
   */
  origins?: string[];
  sealed: SealedSecret;
  createdAt: Date;
  createdBy: string;
}

export type LogStream = 'stdout' | 'stderr' | 'info';

export interface TaskLogDoc {
  /** The run's workflow id. */
  runId: string;
  taskId: string;
  attempt: number;
  at: Date;
  stream: LogStream;
  text: string;
}

/**
 * One piece of a stored task output (see OutputStore): the output's JSON text split into pieces
 * that stay under MongoDB's 16 MB document limit, written under one key.
 */
export interface TaskOutputDoc {
  /** `<runId>/<taskId>/<attempt>/<piece>`, URI-encoded parts. */
  _id: string;
  runId: string;
  taskId: string;
  attempt: number;
  piece: number;
  /** How many pieces the output has (on every piece, so a reader knows when it has them all). */
  pieces: number;
  text: string;
  at: Date;
}
