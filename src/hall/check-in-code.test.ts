import { describe, expect, it } from 'vitest';
import { createPiiCrypto } from '../platform/crypto.js';
import { checkInCode, readCheckInCode, sameSurname } from './check-in-code.js';

const crypto = createPiiCrypto();
const ID = '0f8c2d4e-1a2b-4c3d-8e9f-a0b1c2d3e4f5';

describe('rule 13: arrival code', () => {
  it('names the registration and its day, 49 characters, no personal data', () => {
    const code = checkInCode(crypto, ID, '2026-11-23');
    expect(code).toHaveLength(49);
    expect(code).toMatch(/^EZ1[A-Za-z0-9_-]{22}20261123[A-Za-z0-9_-]{16}$/);
    expect(readCheckInCode(crypto, code)).toEqual({ id: ID, day: '2026-11-23' });
  });

  it('a code with another day, another id or another key is refused (forged)', () => {
    const code = checkInCode(crypto, ID, '2026-11-23');
    expect(readCheckInCode(crypto, code.replace('20261123', '20261124'))).toBeNull();
    const otherId = checkInCode(crypto, '1f8c2d4e-1a2b-4c3d-8e9f-a0b1c2d3e4f5', '2026-11-23');
    expect(readCheckInCode(crypto, `${otherId.slice(0, 33)}${code.slice(33)}`)).toBeNull();
    const otherKey = createPiiCrypto({ hmacKey: Buffer.alloc(32, 7).toString('base64') });
    expect(readCheckInCode(otherKey, code)).toBeNull();
    expect(readCheckInCode(crypto, 'EZ1')).toBeNull();
    expect(readCheckInCode(crypto, `${code}x`)).toBeNull();
  });

  it('surnames match regardless of case, spaces and apostrophe form', () => {
    expect(sameSurname("Дем'яненко", ' ДЕМʼЯНЕНКО ')).toBe(true);
    expect(sameSurname('Коваленко', 'Коваленк')).toBe(false);
    expect(sameSurname('', '')).toBe(false);
  });
});
