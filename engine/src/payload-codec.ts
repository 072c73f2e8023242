/**
 * Encryption of everything Batchgraph writes to Temporal (run inputs, activity inputs and
 * outputs, results, schedule actions): a Temporal payload codec with AES-256-GCM. Each payload
 * records the id of the key that sealed it, so keys rotate: new payloads use the current key,
 * older ones open with the retired keys still configured. The API (its client), the worker and
 * the codec server Temporal UI calls all use this one codec. Web Crypto, so the engine stays free
 * of Node APIs; the payload shape is Temporal's, written out so the engine imports nothing of it.
 */

/** Temporal's Payload, structurally. */
export interface CodecPayload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const METADATA_ENCODING = 'encoding';
const METADATA_KEY_ID = 'encryption-key-id';

export class PayloadCodecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PayloadCodecError';
  }
}

type AesKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const text = new TextEncoder();
const fromText = new TextDecoder();

/** `id:base64key` entries; the first one seals, all of them open. */
export interface PayloadKeys {
  current: { id: string; key: string };
  retired: { id: string; key: string }[];
}

/** Parses BATCHGRAPH_PAYLOAD_KEYS: `id:base64key[,id:base64key…]`, the current key first. */
export function parsePayloadKeys(entries: readonly string[]): PayloadKeys | undefined {
  const keys = entries.map((entry) => {
    const at = entry.indexOf(':');
    if (at <= 0) throw new PayloadCodecError('BATCHGRAPH_PAYLOAD_KEYS entries are id:base64key');
    return { id: entry.slice(0, at), key: entry.slice(at + 1) };
  });
  const [current, ...retired] = keys;
  return current === undefined ? undefined : { current, retired };
}

async function importKey(base64: string): Promise<AesKey> {
  const raw = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  if (raw.length !== 32) {
    throw new PayloadCodecError(`a payload key must be 32 bytes (base64), not ${raw.length}`);
  }
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};
const fromBase64 = (value: string): Uint8Array =>
  Uint8Array.from(atob(value), (char) => char.charCodeAt(0));

/** The sealed form of a payload: its metadata and data as JSON (only this codec reads it). */
function serialize(payload: CodecPayload): Uint8Array<ArrayBuffer> {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, toBase64(value)]),
  );
  return text.encode(
    JSON.stringify({ m: metadata, d: toBase64(payload.data ?? new Uint8Array()) }),
  );
}

function deserialize(bytes: Uint8Array): CodecPayload {
  const { m, d } = JSON.parse(fromText.decode(bytes)) as { m: Record<string, string>; d: string };
  return {
    metadata: Object.fromEntries(
      Object.entries(m).map(([name, value]) => [name, fromBase64(value)]),
    ),
    data: fromBase64(d),
  };
}

/** A Temporal PayloadCodec (encode/decode) sealing every payload with the current key. */
export class EncryptionCodec {
  private constructor(
    private readonly currentId: string,
    private readonly keys: Map<string, AesKey>,
  ) {}

  static async create(keys: PayloadKeys): Promise<EncryptionCodec> {
    const imported = new Map<string, AesKey>();
    for (const { id, key } of [keys.current, ...keys.retired]) {
      imported.set(id, await importKey(key));
    }
    return new EncryptionCodec(keys.current.id, imported);
  }

  async encode(payloads: CodecPayload[]): Promise<CodecPayload[]> {
    const key = this.keys.get(this.currentId)!;
    return Promise.all(
      payloads.map(async (payload) => {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const sealed = new Uint8Array(
          await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, serialize(payload)),
        );
        const data = new Uint8Array(iv.length + sealed.length);
        data.set(iv);
        data.set(sealed, iv.length);
        return {
          metadata: {
            [METADATA_ENCODING]: text.encode(ENCRYPTED_ENCODING),
            [METADATA_KEY_ID]: text.encode(this.currentId),
          },
          data,
        };
      }),
    );
  }

  async decode(payloads: CodecPayload[]): Promise<CodecPayload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING];
        if (!encoding || fromText.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
        const keyId = fromText.decode(payload.metadata?.[METADATA_KEY_ID] ?? new Uint8Array());
        const key = this.keys.get(keyId);
        if (key === undefined) {
          throw new PayloadCodecError(
            `a payload is sealed with key "${keyId}", which BATCHGRAPH_PAYLOAD_KEYS does not hold`,
          );
        }
        const data = payload.data ?? new Uint8Array();
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: data.subarray(0, 12) as Uint8Array<ArrayBuffer> },
          key,
          data.subarray(12) as Uint8Array<ArrayBuffer>,
        );
        return deserialize(new Uint8Array(plain));
      }),
    );
  }
}
