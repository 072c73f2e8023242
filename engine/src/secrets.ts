/**
 * Sealing of connection secrets with AES-256-GCM through Web Crypto (available in Node and in
 * browsers alike, so the engine stays free of Node APIs). The API seals, the activities open.
 * The key is BATCHGRAPH_SECRET_KEY: 32 bytes, base64.
 */
import type { ConnectionSecret, SealedSecret } from './storage';

export class SecretError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretError';
  }
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

type AesKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

async function importKey(base64Key: string): Promise<AesKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromBase64(base64Key);
  } catch (cause) {
    throw new SecretError('BATCHGRAPH_SECRET_KEY is not base64', { cause });
  }
  if (raw.length !== 32) {
    throw new SecretError(`BATCHGRAPH_SECRET_KEY must be 32 bytes (base64), not ${raw.length}`);
  }
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function sealSecret(
  base64Key: string,
  secret: ConnectionSecret,
): Promise<SealedSecret> {
  const key = await importKey(base64Key);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(secret));
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  return { iv: toBase64(iv), data: toBase64(data) };
}

export async function openSecret(
  base64Key: string,
  sealed: SealedSecret,
): Promise<ConnectionSecret> {
  const key = await importKey(base64Key);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(sealed.iv) },
      key,
      fromBase64(sealed.data),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as ConnectionSecret;
  } catch (cause) {
    throw new SecretError(
      'a connection secret could not be opened (wrong BATCHGRAPH_SECRET_KEY?)',
      {
        cause,
      },
    );
  }
}
