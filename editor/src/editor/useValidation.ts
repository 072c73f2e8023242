import { useMemo } from 'react';
import { validateJob, type Problem } from '@batchgraph/engine';
import { useDebounced } from '../lib/useDebounced';
import type { JobDoc } from './model/document';
import { indexProblems, type ProblemIndex } from './model/problems';

const NONE: readonly Problem[] = [];

/**
 * The engine's verdict on the document, recomputed shortly after the user stops editing, plus
 * `extraWarnings` (what the workers serving its queues allow).
 */
export function useValidation(
  doc: JobDoc,
  delayMs = 150,
  extraWarnings: readonly Problem[] = NONE,
): { problems: ProblemIndex; pending: boolean } {
  const settled = useDebounced(doc, delayMs);
  const result = useMemo(() => validateJob(settled), [settled]);
  const problems = useMemo(
    () => indexProblems(result.ok ? [] : result.errors, [...result.warnings, ...extraWarnings]),
    [result, extraWarnings],
  );
  return { problems, pending: settled !== doc };
}
