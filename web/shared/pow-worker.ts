/// <reference lib="webworker" />
import type { antibotChallenge } from '../../src/fairness/fairness-api-schema.js';
import type { Answer } from './api.js';

/**
 * Solves an ALTCHA proof-of-work challenge off the main thread: find n ≤ maxnumber with
 * SHA-256(salt + n) = challenge. Nobody sees a puzzle; at normal difficulty this takes well under
 * a second.
 */
/** GET /api/v1/antibot/challenge, as its response schema declares it. */
export type Challenge = Answer<typeof antibotChallenge>;

const hex = (buf: ArrayBuffer) =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

self.onmessage = async (event: MessageEvent<Challenge>) => {
  const c = event.data;
  const algorithm = (c.algorithm || 'SHA-256').toUpperCase();
  const max = c.maxnumber;
  const started = performance.now();
  const encoder = new TextEncoder();
  for (let n = 0; n <= max; n++) {
    const digest = hex(await crypto.subtle.digest(algorithm, encoder.encode(c.salt + n)));
    if (digest === c.challenge) {
      const payload = {
        algorithm: c.algorithm,
        challenge: c.challenge,
        number: n,
        salt: c.salt,
        signature: c.signature,
        took: Math.round(performance.now() - started),
      };
      self.postMessage({ ok: true, payload: btoa(JSON.stringify(payload)) });
      return;
    }
  }
  self.postMessage({ ok: false });
};
