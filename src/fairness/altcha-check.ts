import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * ALTCHA v1's solution check (altcha-lib `verifySolution(payload, key, false)`) with node:crypto
 * instead of WebCrypto: the same computation (SHA-256 of the salt, with its closing `&`, and the
 * number; HMAC-SHA-256 of that challenge), the same answers, a fraction of the CPU (WebCrypto's
 * promise and key import per call cost 7–8 % of the server at the release moment).
 * test/fairness/antibot.test.ts checks it against the library.
 */
export function solutionValid(
  payload: { challenge: string; number: number; salt: string; signature: string },
  hmacKey: string,
): boolean {
  const salt = payload.salt.endsWith('&') ? payload.salt : `${payload.salt}&`;
  const challenge = createHash('sha256').update(`${salt}${payload.number}`).digest('hex');
  const signature = createHmac('sha256', hmacKey).update(challenge).digest('hex');
  return same(challenge, payload.challenge) && same(signature, payload.signature);
}

function same(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
