/**
 * Whose connections a run uses (DESIGN.md, Identity and permissions): the job's owner for
 * scheduled runs, backfills and retries (a retry keeps its original run's identity), the person
 * who started it for manual runs. The identity goes to Temporal signed for the workflows it may
 * act in, so the worker can tell it from one a workflow input merely claims.
 */
import {
  plainIdentity,
  scheduleId,
  signRunIdentity,
  type Identity,
  type RunIdentity,
} from '@batchgraph/engine';

export type RunIdentitySource =
  | { trigger: 'manual'; starter: Identity }
  | { trigger: 'schedule' | 'backfill'; owner: Identity }
  | { trigger: 'retry'; original: Identity };

/** The identity a run of this kind acts as. */
export function runIdentity(source: RunIdentitySource): Identity {
  switch (source.trigger) {
    case 'manual':
      return plainIdentity(source.starter);
    case 'schedule':
    case 'backfill':
      return plainIdentity(source.owner);
    case 'retry':
      return plainIdentity(source.original);
  }
}

/**
 * Signs `identity` for one run (its workflow id) or for the runs a job's schedule starts.
 * Without BATCHGRAPH_SECRET_KEY no connection can be stored either, so the identity goes
 * unsigned and the worker opens no connection for it.
 */
export async function signedIdentity(
  secretKey: string | undefined,
  identity: Identity,
  target: { workflowId: string } | { scheduleOf: string },
): Promise<RunIdentity> {
  if (secretKey === undefined) return plainIdentity(identity);
  return 'workflowId' in target
    ? signRunIdentity(secretKey, identity, 'run', target.workflowId)
    : signRunIdentity(secretKey, identity, 'schedule', scheduleId(target.scheduleOf));
}
