import { createChallenge, verifySolution } from 'altcha-lib/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solutionValid } from '../../src/fairness/altcha-check.js';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { solvedPayload } from './pow-client.js';

const encode = (p: object) => Buffer.from(JSON.stringify(p)).toString('base64');

describe.each(testDatabases())('rule 9: proof-of-work on %s', (kind) => {
  let h: Harness;
  let slot: number;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { ANTIBOT: 'on' } });
    await seedCatalog(h.ctx.db);
    slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 20 });
  });
  afterAll(() => h.close());

  it('a booking without a solved challenge is refused with ANTIBOT_REQUIRED (403)', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(8001) });
    const res = await h.client.book({ cookie: p.cookie }, { slotId: slot });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'missing' });
  });

  it('a solved, fresh challenge lets the booking through; demo difficulty is minimal', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(8002) });
    const solved = await solvedPayload(h.app, { cookie: p.cookie });
    expect(solved.maxnumber).toBe(1000);
    expect(
      (await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: solved.altcha })).statusCode,
    ).toBe(201);
  });

  it('a replayed proof-of-work is refused (single use; another person cannot use it at all)', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(8003) });
    const q = await citizenCookie(h.app, { rnokpp: rnokpp(8004) });
    const solved = await solvedPayload(h.app, { cookie: p.cookie });
    expect(
      (await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: solved.altcha })).statusCode,
    ).toBe(201);
    const replay = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: solved.altcha });
    expect(replay.statusCode).toBe(403);
    expect(replay.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'reused' });
    expect(
      (await h.client.book({ cookie: q.cookie }, { slotId: slot, altcha: solved.altcha })).json(),
    ).toMatchObject({ reason: 'foreign' });
  });

  it('a solution taken from another challenge is refused, and so is a forged signature', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(8005) });
    const a = await solvedPayload(h.app);
    const b = await solvedPayload(h.app);
    // b's challenge with a's answer (unless they happen to coincide).
    const number = a.payload.number === b.payload.number ? b.payload.number + 1 : a.payload.number;
    const mixed = await h.client.book(
      { cookie: p.cookie },
      { slotId: slot, altcha: encode({ ...b.payload, number }) },
    );
    expect(mixed.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'invalid' });
    const swapped = await h.client.book(
      { cookie: p.cookie },
      {
        slotId: slot,
        altcha: encode({ ...b.payload, challenge: a.payload.challenge, salt: a.payload.salt }),
      },
    );
    expect(swapped.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'invalid' });
    const forged = await h.client.book(
      { cookie: p.cookie },
      { slotId: slot, altcha: encode({ ...a.payload, signature: '0'.repeat(64) }) },
    );
    expect(forged.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'invalid' });
    expect(
      (await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: 'not-base64-json' })).json(),
    ).toMatchObject({ reason: 'invalid' });
  });

  it('a challenge expires after 5 minutes', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(8006) });
    const solved = await solvedPayload(h.app);
    h.clock.advance(5 * 60_000 + 1000);
    try {
      const res = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: solved.altcha });
      expect(res.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'expired' });
    } finally {
      h.clock.advance(-(5 * 60_000 + 1000));
    }
  });

  it('difficulty rises for an identity that keeps failing, and an easy challenge no longer passes', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(8007) });
    const easy = await solvedPayload(h.app, { cookie: p.cookie });
    for (let i = 0; i < 16; i++) await h.client.book({ cookie: p.cookie }, { slotId: slot }); // 16 failed attempts (no proof)
    const hard = await h.app.inject({ url: '/api/v1/antibot/challenge', headers: { cookie: p.cookie } });
    expect(hard.json().maxnumber).toBeGreaterThan(easy.maxnumber);
    const res = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: easy.altcha });
    expect(res.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'difficulty' });
    const solved = await solvedPayload(h.app, { cookie: p.cookie });
    expect(
      (await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: solved.altcha })).statusCode,
    ).toBe(201);
  });
});

describe('rule 9: the node:crypto solution check answers exactly as altcha-lib', () => {
  it('accepts what the library accepts and refuses what it refuses (solution, challenge, signature, salt, key)', async () => {
    const key = 'test-hmac-key';
    const cases: Array<{ challenge: string; number: number; salt: string; signature: string }> = [];
    for (let i = 0; i < 20; i++) {
      const number = i * 7;
      const c = await createChallenge({
        hmacKey: key,
        algorithm: 'SHA-256',
        number,
        maxnumber: 1000,
        expires: new Date(Date.now() + 60_000),
        params: { t: String(i % 3), s: `session-${i}`, k: 'bookings' },
      });
      const good = { challenge: c.challenge, number, salt: c.salt, signature: c.signature };
      cases.push(
        good,
        { ...good, number: number + 1 },
        { ...good, challenge: good.challenge.replace(/^./, (d) => (d === '0' ? '1' : '0')) },
        { ...good, signature: good.signature.replace(/.$/, (d) => (d === '0' ? '1' : '0')) },
        { ...good, signature: good.signature.toUpperCase() },
        { ...good, salt: good.salt.replace('s=session', 's=other') },
        { ...good, salt: good.salt.replace(/&$/, '') },
        { ...good, signature: '' },
      );
    }
    let accepted = 0;
    for (const p of cases) {
      const library = await verifySolution({ algorithm: 'SHA-256', ...p }, key, false);
      expect(solutionValid(p, key)).toBe(library);
      expect(solutionValid(p, 'another-key')).toBe(false);
      if (library) accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(20);
  });
});
