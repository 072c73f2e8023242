import { collections } from '@batchgraph/engine';
import type { ItemTask, TaskLogDoc } from '@batchgraph/engine';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkCheckpoint } from '../src/foreach';
import { createActivities } from '../src/index';
import type { Activities, ForeachChunkInput } from '../src/index';
import { activityEnv, failureOf, identity, testConfig } from './support/activity';
import type { TestDb } from './support/mongo';
import { openTestDb } from './support/mongo';
import { StandIn } from './support/stand-in';

let standIn: StandIn;
let mongo: TestDb;
let activities: Activities;

const outcomes = ['added', 'updated', 'unchanged'] as const;

function accounts(count: number): { id: string; n: number }[] {
  return Array.from({ length: count }, (_, n) => ({ id: `acc-${n}`, n }));
}

function chunk(
  runId: string,
  items: unknown[],
  more: Partial<ForeachChunkInput> = {},
): ForeachChunkInput {
  return {
    runId,
    taskId: 'sync',
    startedBy: identity,
    itemTask: {
      type: 'http',
      params: {
        method: 'POST',
        url: standIn.url(`/${runId}/{{ item.id }}`),
        body: { n: '{{ item.n }}' },
      },
    },
    items,
    offset: 0,
    concurrency: 20,
    itemRetries: 0,
    slowest: 10,
    ...more,
  };
}

beforeAll(async () => {
  [standIn, mongo] = await Promise.all([StandIn.start(), openTestDb('foreach')]);
  activities = createActivities({
    config: testConfig({
      BATCHGRAPH_HTTP_ALLOWED_HOSTS: '127.0.0.1',
      BATCHGRAPH_COMMANDS_ALLOWED: process.execPath,
    }),
    db: mongo.db,
  });
});

afterAll(async () => {
  await Promise.all([standIn.close(), mongo.close()]);
});

/** The stand-in's answer for account n: every 50th is refused for good, the rest report an outcome. */
function syncRoute(runId: string, n: number): void {
  standIn.route(`/${runId}/acc-${n}`, (request) => {
    const { n: sent } = JSON.parse(request.body) as { n: number };
    if (sent % 50 === 0) return { status: 422, body: `account ${sent} is locked` };
    return { body: { outcome: outcomes[sent % 3], counters: { calls: 1, bytes: 2 } } };
  });
}

describe('foreach activity', () => {
  it('tallies 1,000 items: counts, counters, slowest and failures add up', async () => {
    const items = accounts(1000);
    items.forEach(({ n }) => syncRoute('big', n));
    // Every 7th item fails once with a 503 and succeeds on its retry.
    for (const { n } of items) if (n % 7 === 0) standIn.failFirst(`big/sync/${n}`, 1);
    const env = activityEnv();
    const heartbeats: ChunkCheckpoint[] = [];
    env.onHeartbeat((details: ChunkCheckpoint) => heartbeats.push(details));

    const result = await env.run(activities.foreach, chunk('big', items, { itemRetries: 1 }));

    const failing = items.filter(({ n }) => n % 50 === 0);
    const passing = items.filter(({ n }) => n % 50 !== 0);
    expect(result.failed).toBe(failing.length);
    expect(result.succeeded).toBe(passing.length);
    expect(result.skipped).toBe(0);
    const expected = {
      calls: passing.length,
      bytes: 2 * passing.length,
      added: 0,
      updated: 0,
      unchanged: 0,
    };
    for (const { n } of passing) expected[outcomes[n % 3]!] += 1;
    expect(result.counters).toEqual(expected);
    expect(result.failures).toHaveLength(10);
    expect(result.failures.map((failure) => failure.item)).toEqual(
      failing.slice(0, 10).map(({ id }) => id),
    );
    expect(result.failures[1]!.error).toBe(
      `POST ${standIn.origin}/big/acc-50 → 422 Unprocessable Entity: account 50 is locked`,
    );
    expect(result.slowest).toHaveLength(10);
    const ids = new Set(items.map(({ id }) => id));
    expect(result.slowest.every((slow) => ids.has(slow.item) && slow.ms >= 0)).toBe(true);
    const ms = result.slowest.map((slow) => slow.ms);
    expect(ms).toEqual([...ms].sort((a, b) => b - a));

    // A retried item sent the same key both times; items that fail for good are not retried.
    const retried = standIn.requests.filter((request) => request.path === '/big/acc-7');
    expect(retried.map((request) => request.headers['idempotency-key'])).toEqual([
      'big/sync/7',
      'big/sync/7',
    ]);
    expect(standIn.requestsTo('/big/acc-50')).toHaveLength(1);
    expect(heartbeats.at(-1)).toMatchObject({
      done: 1000,
      succeeded: passing.length,
      finishedBelow: 1000,
    });
  });

  it('resumes from the last heartbeat after a lost attempt without re-running finished items', async () => {
    const items = accounts(120);
    items.forEach(({ n }) => {
      syncRoute('resume', n);
      if (n >= 40) standIn.route(`/resume/acc-${n}`, () => ({ delayMs: 60_000 }));
    });
    const first = activityEnv();
    let last: ChunkCheckpoint | undefined;
    first.onHeartbeat((details: ChunkCheckpoint) => (last = details));
    const running = first.run(activities.foreach, chunk('resume', items, { concurrency: 5 }));
    // Items from 40 on hang: once the first 40 are done, the worker "crashes" (the attempt is cancelled).
    while ((last?.done ?? 0) < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    first.cancel();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(last).toMatchObject({ done: 40, finishedBelow: 40, finishedAlso: [] });

    items.forEach(({ n }) => syncRoute('resume', n));
    const second = activityEnv({ attempt: 2, heartbeatDetails: last });
    const result = await second.run(activities.foreach, chunk('resume', items, { concurrency: 5 }));

    expect(result.succeeded + result.failed).toBe(120);
    expect(result.failed).toBe(3);
    expect(Object.values(result.counters).reduce((sum, value) => sum + value, 0)).toBe(117 * 4);
    for (const { n } of items) {
      const sent = standIn.requestsTo(`/resume/acc-${n}`).length;
      if (n < 40) expect(sent, `item ${n}`).toBe(1);
      else expect(sent, `item ${n}`).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports items whose templates cannot be rendered as failed items', async () => {
    const result = await activityEnv().run(
      activities.foreach,
      chunk('templated', [{ id: 'a', n: 1 }, 'plain', { n: 3, very: 'x'.repeat(100) }], {
        itemTask: { type: 'http', params: { method: 'GET', url: standIn.url('/t/{{ item.id }}') } },
        offset: 500,
      }),
    );
    expect(result.succeeded).toBe(1);
    expect(result.failures).toEqual([
      { item: '"plain"', error: 'item 501: "{{ item.id }}" has no value: item.id is not set' },
      {
        item: `${JSON.stringify({ n: 3, very: 'x'.repeat(100) }).slice(0, 80)}…`,
        error: 'item 502: "{{ item.id }}" has no value: item.id is not set',
      },
    ]);
  });

  it('runs command items, logging each line with its item', async () => {
    const itemTask: ItemTask = {
      type: 'command',
      params: {
        command: process.execPath,
        args: ['-e', 'console.log("hello " + process.argv[1])', '{{ item }}'],
      },
    };
    const result = await activityEnv().run(
      activities.foreach,
      chunk('cmds', ['ann', 'bob', 'cy'], { itemTask, offset: 10, concurrency: 2 }),
    );
    expect(result).toMatchObject({ succeeded: 3, failed: 0 });
    const logs = await mongo.db
      .collection<TaskLogDoc>(collections.taskLogs)
      .find({ runId: 'cmds', taskId: 'sync' })
      .toArray();
    expect(logs.map((log) => log.text).sort()).toEqual([
      '[item 10] hello ann',
      '[item 11] hello bob',
      '[item 12] hello cy',
    ]);
  });
});

describe('foreachItems activity', () => {
  it('reads the list at a path inside the JSON body', async () => {
    standIn.route('/inactive', () => ({ body: { data: { items: [{ id: 1 }, { id: 2 }] } } }));
    const items = await activityEnv().run(activities.foreachItems, {
      runId: 'r',
      taskId: 'sync',
      startedBy: identity,
      source: { http: { method: 'GET', url: standIn.url('/inactive') }, path: 'data.items' },
    });
    expect(items).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('fails for good, naming what it found, when the path holds no list', async () => {
    const failure = await failureOf(
      activityEnv().run(activities.foreachItems, {
        runId: 'r',
        taskId: 'sync',
        startedBy: identity,
        source: { http: { method: 'GET', url: standIn.url('/inactive') }, path: 'data' },
      }),
    );
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('ItemsNotAList');
    expect(failure.message).toBe(
      'the items source of sync: expected a list at "data", found an object with keys items',
    );
  });
});
