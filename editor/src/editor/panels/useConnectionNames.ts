import { useCallback } from 'react';
import { listConnections } from '../../api/endpoints';
import { useResource } from '../../lib/useResource';
import { useHasRole } from '../../shell/session';

const none: readonly string[] = [];

/**
 * The names of the stored connections, to offer in an http task's `connection` field. Only
 * administrators may list connections, so for others (or while `wanted` is false) there are none.
 */
export function useConnectionNames(wanted: boolean): readonly string[] {
  const isAdmin = useHasRole('admin');
  const load = useCallback(
    async (signal: AbortSignal) =>
      wanted && isAdmin
        ? (await listConnections(signal)).items.map((connection) => connection.name)
        : none,
    [wanted, isAdmin],
  );
  return useResource(load).data ?? none;
}
