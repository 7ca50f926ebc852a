import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createChallenge } from 'altcha-lib/v1';
import { sha256 } from '../src/platform/crypto.js';

/**
 * Proof-of-work for the load generator (SPEC 3.9, ALTCHA v1 as src/fairness/antibot-service.ts
 * checks it: signed salt carrying tier `t`, session digest `s`, scope `k` and `expires`).
 *
 * At the production floor (maxnumber 50,000: ~25,000 SHA-256 on average) 205,000 challenges are
 * ~5 billion hashes, over an hour of both cores of the bench machine at ~1.2 M hashes/s a core:
 * a run cannot solve them all. So a sample is fetched from the server with each identity's
 * session and really solved in worker threads before the window (its solve time is reported
 * apart), and every other attempt carries a challenge minted by the load generator with the
 * signing key the bench gave the server (ANTIBOT_HMAC_KEY) and the same parameters the server
 * would put in it: the server cannot tell them apart and verifies both in full (signature,
 * solution, expiry, session, scope, difficulty tier, single use). Minting stands for a solving
 * farm of unlimited speed, which is what the server sees at 06:00 anyway.
 */

export const BENCH_HMAC_KEY = 'bench-antibot-signing-key-0123456789';

/** The session binding as src/fairness/fairness-routes.ts computes it. */
const sessionDigest = (token: string) => sha256(`pow:${token}`);

/** A solved payload (the `altcha` body field) for a session and scope, minted with the key. */
export async function mintSolved(opts: {
  token: string;
  scope: string;
  maxnumber: number;
  expires: Date;
}): Promise<string> {
  const number = Math.floor(Math.random() * opts.maxnumber);
  const c = await createChallenge({
    hmacKey: BENCH_HMAC_KEY,
    algorithm: 'SHA-256',
    maxnumber: opts.maxnumber,
    number,
    expires: opts.expires,
    params: { t: '0', s: sessionDigest(opts.token), k: opts.scope },
  });
  return payloadOf(c, number);
}

export interface Challenge {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

export const payloadOf = (c: Omit<Challenge, 'maxnumber'>, number: number) =>
  Buffer.from(
    JSON.stringify({
      algorithm: c.algorithm,
      challenge: c.challenge,
      number,
      salt: c.salt,
      signature: c.signature,
    }),
  ).toString('base64');

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const out = [];
for (const c of workerData) {
  const t0 = performance.now();
  let n = -1;
  for (let i = 0; i <= c.maxnumber; i++) if (hash('sha256', c.salt + i) === c.challenge) { n = i; break; }
  out.push({ number: n, ms: performance.now() - t0 });
}
parentPort.postMessage(out);
`;

/** Solves server challenges by brute force in `threads` worker threads; per-challenge solve times. */
export async function solveInWorkers(
  challenges: Challenge[],
  threads = 2,
): Promise<{ payloads: string[]; solveMs: number[]; wallMs: number }> {
  const t0 = performance.now();
  const parts = Array.from({ length: threads }, (_, k) => challenges.filter((_, i) => i % threads === k));
  const solved = await Promise.all(
    parts.map(
      (part) =>
        new Promise<Array<{ number: number; ms: number }>>((resolve, reject) => {
          const w = new Worker(WORKER, { eval: true, workerData: part });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const payloads: string[] = new Array(challenges.length);
  const solveMs: number[] = [];
  parts.forEach((part, k) => {
    part.forEach((c, j) => {
      const r = solved[k]?.[j] as { number: number; ms: number };
      payloads[j * threads + k] = payloadOf(c, r.number);
      solveMs.push(r.ms);
    });
  });
  return { payloads, solveMs, wallMs: performance.now() - t0 };
}
