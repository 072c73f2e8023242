import { useCallback } from 'react';
import { listConnections } from '../../api/endpoints';
import { useResource } from '../../lib/useResource';
import { useHasRole } from '../../shell/session';

const none: readonly string[] = [];

/**
 * The names of the connections the user's jobs can use, to offer in an http task's `connection`
 * field. Analysts and above may list them; for viewers (or while `wanted` is false) there are none.
 */
export function useConnectionNames(wanted: boolean): readonly string[] {
  const canList = useHasRole('analyst');
  const load = useCallback(
    async (signal: AbortSignal) =>
      wanted && canList
        ? (await listConnections(signal)).items.map((connection) => connection.name)
        : none,
    [wanted, canList],
  );
  return useResource(load).data ?? none;
}
