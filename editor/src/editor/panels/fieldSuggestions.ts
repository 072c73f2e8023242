import { createContext, useContext } from 'react';
import type { Segment } from './SchemaForm';

/**
 * Values worth offering for a field of a generated form (e.g. the known connection names for an
 * http task's `connection`), by the field's path in the job document. The form stays generated
 * from the schema; this only adds a list to pick from.
 */
export type FieldSuggestions = (path: readonly Segment[]) => readonly string[] | undefined;

export const FieldSuggestionsContext = createContext<FieldSuggestions>(() => undefined);

export function useFieldSuggestions(path: readonly Segment[]): readonly string[] | undefined {
  return useContext(FieldSuggestionsContext)(path);
}
