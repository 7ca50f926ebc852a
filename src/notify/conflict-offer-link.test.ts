import { describe, expect, it } from 'vitest';
import { createPiiCrypto } from '../platform/crypto.js';
import { conflictOfferIdOf, conflictOfferToken, conflictOfferTokenMatches } from './conflict-offer-link.js';

const crypto = createPiiCrypto();
const offer = {
  id: '0b8f6d2e-4c1a-4f7e-9a3b-2d5c6e7f8a9b',
  registrationId: '7c1e2d3f-aaaa-4bbb-8ccc-123456789abc',
  slotId: 42,
  expiresAt: new Date('2026-11-26T08:00:00Z'),
};

describe('rule 8: the one-click link of an offered time', () => {
  it('names its offer and verifies only against that offer’s registration, slot and expiry', () => {
    const token = conflictOfferToken(crypto, offer);
    expect(token).toMatch(/^[\w-]{22}\.\d{10}\.[\w-]{22}$/);
    expect(conflictOfferIdOf(token)).toBe(offer.id);
    expect(conflictOfferTokenMatches(crypto, token, offer)).toBe(true);
    expect(conflictOfferTokenMatches(crypto, token, { ...offer, slotId: 43 })).toBe(false);
    expect(conflictOfferTokenMatches(crypto, token, { ...offer, registrationId: offer.id })).toBe(false);
    expect(
      conflictOfferTokenMatches(crypto, token, { ...offer, expiresAt: new Date('2026-11-27T08:00:00Z') }),
    ).toBe(false);
  });

  it('another key makes another token; malformed tokens name nothing', () => {
    const other = createPiiCrypto({ hmacKey: Buffer.alloc(32, 7).toString('base64') });
    expect(conflictOfferTokenMatches(other, conflictOfferToken(crypto, offer), offer)).toBe(false);
    for (const bad of ['', 'x', 'a.b.c', `${'A'.repeat(22)}.123.${'A'.repeat(21)}`])
      expect(conflictOfferIdOf(bad)).toBeNull();
  });
});
