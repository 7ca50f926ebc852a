import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Personal data at rest (SPEC §5): identifiers are encrypted with AES-256-GCM under a key with
 * an id (so keys can rotate: the first key encrypts, any listed key decrypts) and looked up by
 * a keyed hash (HMAC-SHA-256), which is also the key of the limits.
 */
export interface PiiCrypto {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Keyed hash of a normalised identifier, e.g. hash('rnokpp', '1234567890'). */
  hash(kind: string, value: string): string;
}

const DEV_KEY_ID = 'dev';
// Demo mode only: production refuses to start without PII_KEYS / PII_HMAC_KEY (config.ts).
const DEV_KEY = createHash('sha256').update('e-zapys demo key: never use in production').digest();
const DEV_HMAC = createHash('sha256').update('e-zapys demo hmac: never use in production').digest();

function parseKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [id, b64] = part.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length !== 32)
      throw new Error(`PII_KEYS entry "${id ?? ''}" must be id:base64 of 32 bytes`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('PII_KEYS has no keys');
  return keys;
}

export function createPiiCrypto(options: { keys?: string; hmacKey?: string } = {}): PiiCrypto {
  const keys = options.keys ? parseKeys(options.keys) : new Map([[DEV_KEY_ID, DEV_KEY]]);
  const [currentId, currentKey] = [...keys.entries()][0] as [string, Buffer];
  const hmacKey = options.hmacKey ? Buffer.from(options.hmacKey, 'base64') : DEV_HMAC;
  if (hmacKey.length < 32) throw new Error('PII_HMAC_KEY must be base64 of at least 32 bytes');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        currentId,
        iv.toString('base64'),
        cipher.getAuthTag().toString('base64'),
        data.toString('base64'),
      ].join(':');
    },
    decrypt(sealed) {
      const [id, iv, tag, data] = sealed.split(':');
      const key = keys.get(id ?? '');
      if (!key || !iv || !tag || data === undefined)
        throw new Error('Unknown PII key or malformed ciphertext');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    },
    hash(kind, value) {
      return createHmac('sha256', hmacKey).update(`${kind}:${value}`).digest('base64url');
    },
  };
}

/**
 * "********45": at most the last two characters of a clear identifier, never the whole of a short
 * one. Two, not four: an РНОКПП's first five digits are the birth date and its last the control
 * digit, so four shown digits plus a birth date leave one or two candidates.
 */
export function maskIdentifier(clear: string): string {
  const shown = Math.max(0, Math.min(2, clear.length - 4));
  return `${'*'.repeat(clear.length - shown)}${clear.slice(clear.length - shown)}`;
}

/** The mask of an encrypted identifier, derived when read (no digit is stored in clear). */
export function maskSealed(crypto: PiiCrypto, sealed: string): string {
  return maskIdentifier(crypto.decrypt(sealed));
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
