/**
 * The OutputStore on MongoDB (`task_outputs`): each output's JSON text in pieces under MongoDB's
 * 16 MB document limit, keyed by `<runId>/<taskId>/<attempt>/<piece>`. The activities write it;
 * the API reads it (`@batchgraph/activities/output-store`). Keys are found by `_id`, so reads need
 * no secondary index; `deleteRun` uses the API's `run` index.
 */
import {
  collections,
  type OutputKey,
  type OutputStore,
  type TaskOutputDoc,
} from '@batchgraph/engine';
import type { Collection, Db } from 'mongodb';

/** Characters per piece: at most 3 UTF-8 bytes each, so a piece stays under 16 MB. */
const PIECE_CHARS = 4 * 1024 * 1024;

function pieceId(key: OutputKey, piece: number): string {
  return [key.runId, key.taskId, key.attempt, piece]
    .map((part) => encodeURIComponent(String(part)))
    .join('/');
}

/** Splits text into pieces, never between the two halves of a surrogate pair. */
function split(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length || pieces.length === 0;) {
    let end = Math.min(text.length, start + PIECE_CHARS);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** E11000, or FerretDB's message for a violated unique constraint. */
function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { code?: unknown }).code === 11000) return true;
  return error instanceof Error && /duplicate key|UNIQUE constraint failed/i.test(error.message);
}

export class MongoOutputStore implements OutputStore {
  private readonly docs: Collection<TaskOutputDoc>;

  constructor(db: Db) {
    this.docs = db.collection<TaskOutputDoc>(collections.taskOutputs);
  }

  async put(key: OutputKey, json: string): Promise<void> {
    const { runId, taskId, attempt } = key;
    const texts = split(json);
    const at = new Date();
    const docs = texts.map((text, piece) => ({
      _id: pieceId(key, piece),
      runId,
      taskId,
      attempt,
      piece,
      pieces: texts.length,
      text,
      at,
    }));
    // Keys are per attempt, so nearly every write is new: one insert, found by _id alone (a filter
    // on other fields would scan the collection on FerretDB).
    try {
      await this.docs.insertMany(docs, { ordered: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // The same attempt wrote before (it ran again after its worker was lost): replace it.
      await this.remove(key);
      await this.docs.insertMany(docs, { ordered: true });
    }
  }

  /** The pieces of one key, found through the piece count its first piece records. */
  private async remove(key: OutputKey): Promise<void> {
    const first = await this.docs.findOne({ _id: pieceId(key, 0) }, { projection: { pieces: 1 } });
    const pieces = Math.max(1, first?.pieces ?? 1);
    const ids = Array.from({ length: pieces }, (_, index) => pieceId(key, index));
    await this.docs.deleteMany({ _id: { $in: ids } });
  }

  async get(key: OutputKey): Promise<string | undefined> {
    const first = await this.docs.findOne({ _id: pieceId(key, 0) });
    if (!first) return undefined;
    if (first.pieces === 1) return first.text;
    const ids = Array.from({ length: first.pieces - 1 }, (_, index) => pieceId(key, index + 1));
    const rest = await this.docs.find({ _id: { $in: ids } }).toArray();
    if (rest.length !== ids.length) return undefined;
    rest.sort((a, b) => a.piece - b.piece);
    return [first, ...rest].map((doc) => doc.text).join('');
  }

  async deleteRun(runId: string): Promise<void> {
    await this.docs.deleteMany({ runId });
  }
}
