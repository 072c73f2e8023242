import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets, readSecrets, secretsFile } from '../stack/secrets';

const dirs: string[] = [];

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'batchgraph-secrets-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateSecrets', () => {
  it('generates the keys once, private to the user, and keeps them', () => {
    const dir = scratch();
    const first = loadOrCreateSecrets(dir, {});
    expect(first.BATCHGRAPH_ADMIN_KEY).toMatch(/^bg_[0-9a-f]{32}$/);
    expect(Buffer.from(first.BATCHGRAPH_SECRET_KEY, 'base64')).toHaveLength(32);
    expect(statSync(secretsFile(dir)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecrets(dir, {})).toEqual(first);
    expect(readSecrets(dir)).toEqual(first);
  });

  it('lets the environment win without overwriting the stored keys', () => {
    const dir = scratch();
    const stored = loadOrCreateSecrets(dir, {});
    const fromEnv = loadOrCreateSecrets(dir, { BATCHGRAPH_ADMIN_KEY: 'bg_from_the_environment' });
    expect(fromEnv.BATCHGRAPH_ADMIN_KEY).toBe('bg_from_the_environment');
    expect(fromEnv.BATCHGRAPH_SECRET_KEY).toBe(stored.BATCHGRAPH_SECRET_KEY);
    expect(readSecrets(dir)).toEqual(stored);
  });
});
