/**
 * What templates can read besides `input` and `item`: the fields of `{{ run.* }}` and of
 * `{{ tasks.<id>.* }}`, and, for task types whose output has a fixed shape, its top-level fields.
 * The validator rejects any other field at design time. The interpreter builds the run scope
 * (workflows/src/workflows/run-state.ts) and the activities the outputs
 * (activities/src/contract.ts): a field added there is added here.
 */
import type { TaskType } from './params';

export const runScopeFields = [
  'id',
  'jobId',
  'jobName',
  'version',
  'trigger',
  'startedAt',
] as const;

export const taskScopeFields = ['output', 'state'] as const;

/** Top-level output fields by task type; a type not listed has no fixed shape. */
export const outputFields: Partial<Record<TaskType, readonly string[]>> = {
  http: ['status', 'headers', 'body'],
  command: ['exitCode', 'stdout', 'stderr'],
  notify: ['emailed', 'webhookStatus'],
};
