import { solveChallenge } from 'altcha-lib/v1';
import type { FastifyInstance } from 'fastify';
import { citizenCookie, rnokpp } from '../support/harness.js';

/** What the portal's ALTCHA widget does: fetch a challenge, solve it, send the base64 payload. */
export async function solvedPayload(app: FastifyInstance, headers: Record<string, string> = {}) {
  const res = await app.inject({ url: '/api/v1/antibot/challenge', headers });
  if (res.statusCode !== 200) throw new Error(`challenge: ${res.statusCode}`);
  const c = res.json() as {
    algorithm: string;
    challenge: string;
    salt: string;
    signature: string;
    maxnumber: number;
  };
  const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!solution) throw new Error('challenge not solved');
  const payload = {
    algorithm: c.algorithm,
    challenge: c.challenge,
    number: solution.number,
    salt: c.salt,
    signature: c.signature,
  };
  return { payload, altcha: Buffer.from(JSON.stringify(payload)).toString('base64'), maxnumber: c.maxnumber };
}

/** Citizen `n` signed in, with a solved proof-of-work for their next booking (`altcha`). */
export async function citizenWithProof(app: FastifyInstance, n: number) {
  const p = await citizenCookie(app, { rnokpp: rnokpp(n) });
  const altcha = (await solvedPayload(app, { cookie: p.cookie })).altcha;
  return { ...p, altcha };
}
