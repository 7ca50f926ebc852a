import type { PiiCrypto } from '../platform/crypto.js';
import { safeEqual } from '../platform/crypto.js';

/**
 * Rule 13: the arrival code of an online registration, for the confirmation's QR and "my
 * registrations". `EZ1` + the registration id (22 base64url characters) + its day (YYYYMMDD) +
 * a keyed MAC (HMAC-SHA-256 under the PII HMAC key, 16 base64url characters = 96 bits) over both.
 * 49 ASCII characters: a small QR. It names no person and carries no РНОКПП; without the key
 * nobody can make one, and a code is good only for its own day.
 */
const PREFIX = 'EZ1';
const MAC_CHARS = 16;
const CODE = /^EZ1([A-Za-z0-9_-]{22})(\d{8})([A-Za-z0-9_-]{16})$/;

const macOf = (crypto: Pick<PiiCrypto, 'hash'>, id: string, day: string) =>
  crypto.hash('check-in', `${id}|${day}`).slice(0, MAC_CHARS);

const idToB64 = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');

function idFromB64(b64: string): string | null {
  const hex = Buffer.from(b64, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The code of registration `id` on `day` (YYYY-MM-DD). */
export function checkInCode(crypto: Pick<PiiCrypto, 'hash'>, id: string, day: string): string {
  return `${PREFIX}${idToB64(id)}${day.replace(/-/g, '')}${macOf(crypto, id, day)}`;
}

/** The registration id and day a genuine code names; null for anything malformed or forged. */
export function readCheckInCode(
  crypto: Pick<PiiCrypto, 'hash'>,
  code: string,
): { id: string; day: string } | null {
  const m = CODE.exec(code.trim());
  if (!m) return null;
  const [, b64, ymd, mac] = m as unknown as [string, string, string, string];
  const id = idFromB64(b64);
  if (!id) return null;
  const day = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  return safeEqual(mac, macOf(crypto, id, day)) ? { id, day } : null;
}

/** Surnames compared as people type them: case, spaces and the apostrophe's forms do not matter. */
export function sameSurname(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFC')
      .toLocaleLowerCase('uk')
      .replace(/[\u2019\u02bc'`\u2018]/g, "'")
      .replace(/\s+/g, ' ')
      .trim();
  return norm(a) === norm(b) && norm(a) !== '';
}
