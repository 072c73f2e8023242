/**
 * Trusted run identity (DESIGN.md, Identity and permissions). The API signs the identity a run
 * acts as, together with the workflow ids it may act in, with a key derived from
 * BATCHGRAPH_SECRET_KEY; the worker checks the signature against the workflow id Temporal gives
 * the activity before it opens any connection. A workflow started outside the API has no valid
 * proof and so can use no connection. HMAC-SHA-256 through Web Crypto keeps the engine free of
 * Node APIs.
 */
import type { Identity } from './run';

/**
 * Where a proof holds. `run`: one workflow id (a manual run or a retry) and its sub-job children
 * (`<id>-<taskId>`). `schedule`: the workflows a job's Temporal Schedule starts, whose ids are
 * the schedule id plus the scheduled time (`job-<jobId>-2026-12-01T09:00:00Z`).
 */
export interface IdentityProof {
  scope: 'run' | 'schedule';
  id: string;
  mac: string;
}

/** The identity a run acts as, with the API's proof of it (absent: no connection may be used). */
export interface RunIdentity extends Identity {
  proof?: IdentityProof;
}

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const LABEL = 'batchgraph run identity v1';
const keys = new Map<string, Promise<HmacKey>>();

/** The signing key: HMAC(secret key, label), so the connection-sealing key is never reused as is. */
function signingKey(base64SecretKey: string): Promise<HmacKey> {
  let key = keys.get(base64SecretKey);
  if (key === undefined) {
    key = (async () => {
      const raw = Uint8Array.from(atob(base64SecretKey), (char) => char.charCodeAt(0));
      const master = await crypto.subtle.importKey(
        'raw',
        raw,
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const derived = await crypto.subtle.sign('HMAC', master, new TextEncoder().encode(LABEL));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify',
      ]);
    })();
    keys.set(base64SecretKey, key);
  }
  return key;
}

const message = (
  identity: Identity,
  scope: IdentityProof['scope'],
  id: string,
): Uint8Array<ArrayBuffer> =>
  new TextEncoder().encode(JSON.stringify([scope, id, identity.id, identity.name]));

const toHex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** The identity with the API's proof that it may act in the workflows `scope`/`id` names. */
export async function signRunIdentity(
  base64SecretKey: string,
  identity: Identity,
  scope: IdentityProof['scope'],
  id: string,
): Promise<RunIdentity> {
  const key = await signingKey(base64SecretKey);
  const mac = toHex(await crypto.subtle.sign('HMAC', key, message(identity, scope, id)));
  return { id: identity.id, name: identity.name, proof: { scope, id, mac } };
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CHILD = '(-[A-Za-z0-9_-]+)*';
const SCHEDULED_TIME = '-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z';

/** Whether `workflowId` is one the proof's scope covers. */
function covers(proof: IdentityProof, workflowId: string): boolean {
  const pattern =
    proof.scope === 'run'
      ? `^${escape(proof.id)}${CHILD}$`
      : `^${escape(proof.id)}${SCHEDULED_TIME}${CHILD}$`;
  return new RegExp(pattern).test(workflowId);
}

/**
 * Why the identity may not act in `workflowId`, or undefined when its proof holds. The workflow
 * id is Temporal's (the activity's own info), never one the workflow input names.
 */
export async function runIdentityRefusal(
  base64SecretKey: string,
  identity: RunIdentity,
  workflowId: string,
): Promise<string | undefined> {
  const { proof } = identity;
  if (proof === undefined) return 'the run carries no proof of its identity from the API';
  if (!covers(proof, workflowId)) {
    return `the identity proof is for ${proof.scope} ${proof.id}, not for workflow ${workflowId}`;
  }
  const key = await signingKey(base64SecretKey);
  const mac = /^[0-9a-f]{64}$/.test(proof.mac)
    ? Uint8Array.from(proof.mac.match(/../g)!, (pair) => parseInt(pair, 16))
    : new Uint8Array();
  const valid =
    mac.length === 32 &&
    (await crypto.subtle.verify('HMAC', key, mac, message(identity, proof.scope, proof.id)));
  return valid ? undefined : 'the identity proof is not signed by this installation';
}

/** The identity without its proof, for views, logs and results. */
export function plainIdentity(identity: Identity): Identity {
  return { id: identity.id, name: identity.name };
}
