import { randomInt } from 'node:crypto';

/**
 * The short activation code of a kiosk or board: 8 characters of an alphabet without look-alikes
 * (no 0/O, 1/I/L), ~39.6 bits. It lives 10 minutes, is single use and is tried under the login
 * rate limit, so guessing one is out of reach; typed in any case, with or without a dash.
 */
export const ACTIVATION_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ACTIVATION_LENGTH = 8;
export const ACTIVATION_MINUTES = 10;

export function newActivationCode(): string {
  let code = '';
  for (let i = 0; i < ACTIVATION_LENGTH; i++)
    code += ACTIVATION_ALPHABET[randomInt(ACTIVATION_ALPHABET.length)];
  return code;
}

/** The code as typed ("abcd-efgh", spaces) in its stored form; null when it cannot be one. */
export function normalizeActivationCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== ACTIVATION_LENGTH) return null;
  for (const c of code) if (!ACTIVATION_ALPHABET.includes(c)) return null;
  return code;
}
