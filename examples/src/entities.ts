/**
 * Stand-in for a data-integration pair: a source system that lists entities changed since a
 * date, and a target that each entity is synced into. A sync reports what it did to the target
 * (`added`, `updated` or `unchanged`) and takes a little time that varies by entity, so the run's
 * statistics have something to show.
 */
import type { Express } from 'express';
import { jsonApp, sleep } from './http';

interface SourceEntity {
  id: string;
  changedAt: string;
  /** Content revision; the target is up to date when it holds the same one. */
  revision: number;
}

export type SyncOutcome = 'added' | 'updated' | 'unchanged';

const ENTITY_COUNT = 24;
/** Entities 1–6 changed before this date; the example job asks for changes since it. */
export const CHANGED_SINCE = '2025-01-01T00:00:00Z';

function entityId(n: number): string {
  return `ENT-${String(n).padStart(4, '0')}`;
}

/** Deterministic seed: 18 of 24 entities changed after CHANGED_SINCE; of those, 6 are new to the
 * target, 6 are outdated there and 6 are already up to date. */
function seedEntities(): { source: SourceEntity[]; target: Map<string, number> } {
  const source: SourceEntity[] = [];
  const target = new Map<string, number>();
  for (let n = 1; n <= ENTITY_COUNT; n += 1) {
    const id = entityId(n);
    const changedAt =
      n <= 6
        ? `2024-11-${String(n).padStart(2, '0')}T08:00:00Z`
        : `2025-02-${String(n).padStart(2, '0')}T08:00:00Z`;
    source.push({ id, changedAt, revision: 2 });
    if (n <= 6 || n % 3 === 0) target.set(id, 2);
    else if (n % 3 === 1) target.set(id, 1);
  }
  return { source, target };
}

/** 10–130 ms, fixed per entity. */
export function syncDelayMs(id: string): number {
  const n = Number(id.replace(/\D/g, '')) || 0;
  return 10 + ((n * 37) % 121);
}

export function createEntitiesApp(): Express {
  const { source, target } = seedEntities();
  const syncs: { id: string; outcome: SyncOutcome }[] = [];

  const app = jsonApp();

  app.get('/api/entities', (req, res) => {
    const since = typeof req.query.changedSince === 'string' ? req.query.changedSince : '';
    const sinceMs = since === '' ? 0 : Date.parse(since);
    if (Number.isNaN(sinceMs)) {
      res.status(400).json({ error: 'changedSince must be an ISO-8601 date' });
      return;
    }
    const ids = source.filter((entity) => Date.parse(entity.changedAt) >= sinceMs).map((e) => e.id);
    res.json({ changedSince: since, count: ids.length, ids });
  });

  app.post('/api/entities/:id/sync', async (req, res) => {
    const entity = source.find((candidate) => candidate.id === req.params.id);
    if (!entity) {
      res.status(404).json({ error: `no entity ${req.params.id} in the source` });
      return;
    }
    await sleep(syncDelayMs(entity.id));
    const held = target.get(entity.id);
    const outcome: SyncOutcome =
      held === undefined ? 'added' : held === entity.revision ? 'unchanged' : 'updated';
    target.set(entity.id, entity.revision);
    syncs.push({ id: entity.id, outcome });
    res.json({ id: entity.id, outcome });
  });

  app.get('/_state', (_req, res) => {
    res.json({ source, target: Object.fromEntries(target), syncs });
  });

  return app;
}
