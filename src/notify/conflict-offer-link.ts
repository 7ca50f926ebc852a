import type { PiiCrypto } from '../platform/crypto.js';
import { safeEqual } from '../platform/crypto.js';

/**
 * SPEC rule 8: the one-click link of a center head's offer of another time. The token names the
 * offer (its id in 22 base64url characters) and its expiry (Unix seconds), and carries a keyed
 * MAC (HMAC-SHA-256 under the PII HMAC key, 22 base64url characters = 132 bits) over the offer
 * id, the registration, the offered slot and the expiry: a token for one registration or time
 * cannot be turned into another, and nobody without the key can make one. Never stored: the
 * renderer writes it into the e-mail, the accepting route recomputes it from the offer's row.
 * Single use and expiry are the row's (`status`, `expires_at`).
 */
export interface OfferLinkFacts {
  id: string;
  registrationId: string;
  slotId: number;
  expiresAt: Date;
}

const MAC_CHARS = 22;
const TOKEN = /^([A-Za-z0-9_-]{22})\.(\d{9,11})\.([A-Za-z0-9_-]{22})$/;

const idToB64 = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');

function idFromB64(b64: string): string | null {
  const hex = Buffer.from(b64, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const secondsOf = (at: Date) => Math.floor(at.getTime() / 1000);

export function conflictOfferToken(crypto: Pick<PiiCrypto, 'hash'>, o: OfferLinkFacts): string {
  const exp = secondsOf(o.expiresAt);
  const mac = crypto
    .hash('conflict-offer', `${o.id}|${o.registrationId}|${o.slotId}|${exp}`)
    .slice(0, MAC_CHARS);
  return `${idToB64(o.id)}.${exp}.${mac}`;
}

/** The offer a well-formed token names (not yet verified: see `conflictOfferTokenMatches`). */
export function conflictOfferIdOf(token: string): string | null {
  const m = TOKEN.exec(token);
  return m ? idFromB64(m[1] as string) : null;
}

/** True only for the exact token of this offer row (id, registration, slot and expiry). */
export function conflictOfferTokenMatches(
  crypto: Pick<PiiCrypto, 'hash'>,
  token: string,
  row: OfferLinkFacts,
): boolean {
  return safeEqual(token, conflictOfferToken(crypto, row));
}

/** The page the e-mail links to: it shows what will happen and asks for a confirming click. */
export const conflictOfferUrl = (portalUrl: string, token: string) =>
  `${portalUrl.replace(/\/+$/, '')}/conflict-offer/${token}`;
