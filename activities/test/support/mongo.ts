/** A database of its own on the real FerretDB/MongoDB for each test file. */
import { loadConfig } from '@batchgraph/engine';
import type { Db } from 'mongodb';
import { MongoClient } from 'mongodb';

export interface TestDb {
  db: Db;
  close(): Promise<void>;
}

export async function openTestDb(name: string): Promise<TestDb> {
  const uri = loadConfig(process.env).MONGODB_URI;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (cause) {
    await client.close();
    throw new Error(
      `MongoDB/FerretDB is not reachable at ${uri} (set MONGODB_URI or start it with scripts/start)`,
      { cause },
    );
  }
  const db = client.db(`activities_${name}_${process.pid}_${Date.now().toString(36)}`);
  return {
    db,
    async close() {
      await db.dropDatabase();
      await client.close();
    },
  };
}
