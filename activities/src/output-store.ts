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

export class MongoOutputStore implements OutputStore {
  private readonly docs: Collection<TaskOutputDoc>;

  constructor(db: Db) {
    this.docs = db.collection<TaskOutputDoc>(collections.taskOutputs);
  }

  async put(key: OutputKey, json: string): Promise<void> {
    const { runId, taskId, attempt } = key;
    const texts = split(json);
    const at = new Date();
    // A second write of the same key (an attempt re-run) replaces the first, piece count included.
    await this.docs.deleteMany({ runId, taskId, attempt });
    await this.docs.insertMany(
      texts.map((text, piece) => ({
        _id: pieceId(key, piece),
        runId,
        taskId,
        attempt,
        piece,
        pieces: texts.length,
        text,
        at,
      })),
      { ordered: false },
    );
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
