import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * List filters kept in the address (so a filtered list can be shared and survives reload): their
 * values, '' when unset, and a setter that replaces the history entry. With `resetPage`, changing
 * any other filter goes back to the first page.
 */
export function useSearchFilters<Name extends string>(
  names: readonly Name[],
  options: { resetPage?: boolean } = {},
): [Record<Name, string>, (name: string, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(names.map((name) => [name, params.get(name) ?? ''])) as Record<
    Name,
    string
  >;
  const { resetPage } = options;
  const set = useCallback(
    (name: string, value: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          if (resetPage && name !== 'page') next.delete('page');
          return next;
        },
        { replace: true },
      ),
    [setParams, resetPage],
  );
  return [values, set];
}
