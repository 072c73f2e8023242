import { describe, expect, it } from 'vitest';
import { appPortClaims, readAppPorts, readWorkerGroups } from '../stack/apps';

describe('readWorkerGroups', () => {
  it('starts one general worker and a worker for the sync queue by default', () => {
    expect(readWorkerGroups({})).toEqual([
      { name: 'worker-1', queue: undefined },
      { name: 'worker-sync-1', queue: 'sync' },
    ]);
    expect(readWorkerGroups({ BATCHGRAPH_WORKER_POOLS: '' })).toEqual([
      { name: 'worker-1', queue: undefined },
    ]);
  });

  it('adds per-queue pools after the general workers', () => {
    const groups = readWorkerGroups({
      BATCHGRAPH_WORKERS: '2',
      BATCHGRAPH_WORKER_POOLS: 'heavy:2, mail:1',
    });
    expect(groups).toEqual([
      { name: 'worker-1', queue: undefined },
      { name: 'worker-2', queue: undefined },
      { name: 'worker-heavy-1', queue: 'heavy' },
      { name: 'worker-heavy-2', queue: 'heavy' },
      { name: 'worker-mail-1', queue: 'mail' },
    ]);
  });

  it('allows pools only, and rejects malformed entries', () => {
    expect(readWorkerGroups({ BATCHGRAPH_WORKERS: '0', BATCHGRAPH_WORKER_POOLS: 'q:1' })).toEqual([
      { name: 'worker-q-1', queue: 'q' },
    ]);
    expect(() => readWorkerGroups({ BATCHGRAPH_WORKER_POOLS: 'heavy' })).toThrow(
      /BATCHGRAPH_WORKER_POOLS must look like/,
    );
    expect(() => readWorkerGroups({ BATCHGRAPH_WORKERS: '-1' })).toThrow(/BATCHGRAPH_WORKERS/);
  });
});

describe('readAppPorts', () => {
  it('puts extra API processes on the following ports', () => {
    const ports = readAppPorts({ BATCHGRAPH_API_PORT: '4000', BATCHGRAPH_API_PROCESSES: '2' });
    expect(ports).toEqual({ api: [4000, 4001], editor: 5173 });
    expect(appPortClaims(ports).map((claim) => claim.label)).toEqual([
      'API',
      'API process 2',
      'editor',
    ]);
  });
});
