import { failureHandling, type FailureHandling } from '@batchgraph/engine';
import { edgesOf, type JobDoc } from './document';

/**
 * How the failure of each task of a run's version is taken (the engine's rule 7), so the run view
 * can tell a handled or ignored failure from one that failed the run.
 */
export function failureHandlingOf(doc: JobDoc): Map<string, FailureHandling> {
  const withFailureEdge = new Set(
    edgesOf(doc)
      .filter((edge) => edge.on === 'failure')
      .map((edge) => edge.from),
  );
  return new Map(
    doc.tasks.map((task) => [
      task.id,
      failureHandling(task.ignoreFailure ?? false, withFailureEdge.has(task.id)),
    ]),
  );
}

/** A task state as the run view names it: "failed (handled)", "failed (ignored)", or the state. */
export function stateLabel(state: string, handling: FailureHandling | undefined): string {
  if (state !== 'failed' || handling === undefined || handling === 'fails-run') return state;
  return `failed (${handling})`;
}
