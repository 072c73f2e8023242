/**
 * Names that Temporal and everything talking to it must agree on: the interpreter workflow's type
 * and the search attributes every run carries. The local stack registers these attributes on the
 * dev server from this one list, so adding one here is enough for local use.
 */
export const searchAttributeTypes = {
  BatchgraphJobId: 'Keyword',
  BatchgraphJobName: 'Keyword',
  BatchgraphVersion: 'Int',
  BatchgraphTrigger: 'Keyword',
} as const;

export const WORKFLOW_TYPE = 'runPlan';

/** A run's fixed summary in Temporal UI (the workflow's static summary): its job and version. */
export function runStaticSummary(job: { name: string; version?: number }): string {
  return job.version === undefined ? job.name : `${job.name} · v${job.version}`;
}
