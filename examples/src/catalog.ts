/**
 * Stand-in for a digital-asset catalog: records with tags, a search, and tag changes per record
 * (the "set tags" / "unset tags" modules of an asset manager's background tasks).
 */
import type { Express } from 'express';
import { jsonApp } from './http';

export interface CatalogRecord {
  id: string;
  title: string;
  kind: 'image' | 'video' | 'document';
  tags: string[];
}

const seed: Omit<CatalogRecord, 'tags'>[] = [
  { id: 'rec-01', title: 'Spring campaign hero image', kind: 'image' },
  { id: 'rec-02', title: 'Spring campaign teaser video', kind: 'video' },
  { id: 'rec-03', title: 'Autumn catalogue cover', kind: 'image' },
  { id: 'rec-04', title: 'Spring campaign press kit', kind: 'document' },
  { id: 'rec-05', title: 'Product sheet X200', kind: 'document' },
  { id: 'rec-06', title: 'Spring campaign banner (web)', kind: 'image' },
  { id: 'rec-07', title: 'Winter sale poster', kind: 'image' },
];

export function createCatalogApp(): Express {
  const records = new Map<string, CatalogRecord>(
    seed.map((record) => [record.id, { ...record, tags: ['archive-candidate'] }]),
  );
  const tagCalls: { id: string; add: string[]; remove: string[] }[] = [];

  const app = jsonApp();

  app.get('/api/records', (req, res) => {
    const query = typeof req.query.q === 'string' ? req.query.q.trim().toLowerCase() : '';
    const hits = [...records.values()].filter((record) =>
      record.title.toLowerCase().includes(query),
    );
    res.json({ query, total: hits.length, records: hits });
  });

  /** Body `{ add?: string[], remove?: string[] }`: sets and unsets tags in one call. */
  app.post('/api/records/:id/tags', (req, res) => {
    const record = records.get(req.params.id);
    if (!record) {
      res.status(404).json({ error: `no record ${req.params.id}` });
      return;
    }
    const body = (req.body ?? {}) as { add?: unknown; remove?: unknown };
    const add = stringList(body.add);
    const remove = stringList(body.remove);
    if (add === undefined || remove === undefined) {
      res.status(400).json({ error: 'add and remove must be lists of strings' });
      return;
    }
    tagCalls.push({ id: record.id, add, remove });
    record.tags = [...new Set([...record.tags, ...add])].filter((tag) => !remove.includes(tag));
    res.json(record);
  });

  app.get('/_state', (_req, res) => {
    res.json({ records: [...records.values()], tagCalls });
  });

  return app;
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return undefined;
}
