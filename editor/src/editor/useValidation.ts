import { useMemo } from 'react';
import { validateJob } from '@batchgraph/engine';
import { useDebounced } from '../lib/useDebounced';
import type { JobDoc } from './model/document';
import { indexProblems, type ProblemIndex } from './model/problems';

/** The engine's verdict on the document, recomputed shortly after the user stops editing. */
export function useValidation(
  doc: JobDoc,
  delayMs = 150,
): { problems: ProblemIndex; pending: boolean } {
  const settled = useDebounced(doc, delayMs);
  const problems = useMemo(() => {
    const result = validateJob(settled);
    return indexProblems(result.ok ? [] : result.errors, result.warnings);
  }, [settled]);
  return { problems, pending: settled !== doc };
}
