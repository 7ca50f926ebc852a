import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPiiCrypto, maskIdentifier, maskSealed } from './crypto.js';

const key = () => randomBytes(32).toString('base64');

describe('personal data at rest (SPEC §5)', () => {
  it('encrypts with AES-256-GCM: the ciphertext does not contain the value and decrypts back', () => {
    const c = createPiiCrypto();
    const sealed = c.encrypt('3012345670');
    expect(sealed).not.toContain('3012345670');
    expect(sealed.startsWith('dev:')).toBe(true);
    expect(c.decrypt(sealed)).toBe('3012345670');
    expect(c.encrypt('3012345670')).not.toBe(sealed); // random IV
  });

  it('rotates keys: the first key encrypts, older keys still decrypt', () => {
    const oldKey = key();
    const before = createPiiCrypto({ keys: `k1:${oldKey}`, hmacKey: key() });
    const sealed = before.encrypt('АБ123456');
    const after = createPiiCrypto({ keys: `k2:${key()},k1:${oldKey}`, hmacKey: key() });
    expect(after.decrypt(sealed)).toBe('АБ123456');
    expect(after.encrypt('x').startsWith('k2:')).toBe(true);
  });

  it('refuses tampered ciphertext', () => {
    const c = createPiiCrypto();
    const [id, iv, tag, data] = c.encrypt('3012345670').split(':');
    const flipped = Buffer.from(data ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => c.decrypt([id, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
  });

  it('the keyed hash is stable per key and kind, and differs across keys', () => {
    const h1 = createPiiCrypto({ keys: `k1:${key()}`, hmacKey: key() });
    const h2 = createPiiCrypto({ keys: `k1:${key()}`, hmacKey: key() });
    expect(h1.hash('rnokpp', '3012345670')).toBe(h1.hash('rnokpp', '3012345670'));
    expect(h1.hash('rnokpp', '3012345670')).not.toBe(h1.hash('passport', '3012345670'));
    expect(h1.hash('rnokpp', '3012345670')).not.toBe(h2.hash('rnokpp', '3012345670'));
  });

  it('masks all but the last two characters, and a short value whole', () => {
    expect(maskIdentifier('3012345670')).toBe('********70');
    expect(maskIdentifier('КВ123456')).toBe('******56');
    expect(maskIdentifier('12345')).toBe('****5');
    expect(maskIdentifier('1234')).toBe('****');
  });

  it('derives the mask from the encrypted value', () => {
    const c = createPiiCrypto();
    expect(maskSealed(c, c.encrypt('3012345670'))).toBe('********70');
  });
});
