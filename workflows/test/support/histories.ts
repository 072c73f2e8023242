/**
 * Recorded histories (test/histories/*.json) that replay.test.ts replays through the current
 * interpreter. `RECORD_HISTORIES=1` rewrites fixtures from a test run's histories;
 * `RECORD_HISTORIES=<name>` adds them as `<fixture>-<name>.json`, keeping the older ones.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';

export const fixturesDir = fileURLToPath(new URL('../histories', import.meta.url));

export type History = temporal.api.history.v1.IHistory;
const { History } = temporal.api.history.v1;

export interface Recorded {
  workflowId: string;
  history: History;
}

/**
 * A fixture: the history in protobuf's binary form, base64. (The SDK's JSON helpers use a second
 * protobufjs copy in this install that rejects the client's History objects.)
 */
export interface Fixture {
  workflowId: string;
  history: string;
}

export function toFixture({ workflowId, history }: Recorded): Fixture {
  return { workflowId, history: Buffer.from(History.encode(history).finish()).toString('base64') };
}

export function fromFixture({ workflowId, history }: Fixture): Recorded {
  return { workflowId, history: History.decode(Buffer.from(history, 'base64')) };
}

/** Writes the run's history as fixture `name` when RECORD_HISTORIES asks for it. */
export function recordFixture(name: string, run: Recorded): void {
  const record = process.env.RECORD_HISTORIES;
  if (!record) return;
  const suffix = record === '1' ? '' : `-${record}`;
  writeFileSync(`${fixturesDir}/${name}${suffix}.json`, `${JSON.stringify(toFixture(run))}\n`);
}
