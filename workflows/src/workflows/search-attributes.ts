/** The search attributes every run carries (DESIGN.md), as a child workflow's start option. */
import type { Plan, RunTrigger, searchAttributeTypes } from '@batchgraph/engine';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
} from '@temporalio/common';

/** Only names the engine registers. */
const named = (name: keyof typeof searchAttributeTypes): string => name;

export const searchAttributeKeys = {
  jobId: defineSearchAttributeKey(named('BatchgraphJobId'), SearchAttributeType.KEYWORD),
  jobName: defineSearchAttributeKey(named('BatchgraphJobName'), SearchAttributeType.KEYWORD),
  version: defineSearchAttributeKey(named('BatchgraphVersion'), SearchAttributeType.INT),
  trigger: defineSearchAttributeKey(named('BatchgraphTrigger'), SearchAttributeType.KEYWORD),
};

export function runSearchAttributes(plan: Plan, trigger: RunTrigger): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: searchAttributeKeys.jobName, value: plan.job.name },
    { key: searchAttributeKeys.trigger, value: trigger },
  ];
  if (plan.job.id !== undefined) pairs.push({ key: searchAttributeKeys.jobId, value: plan.job.id });
  if (plan.job.version !== undefined)
    pairs.push({ key: searchAttributeKeys.version, value: plan.job.version });
  return pairs;
}
