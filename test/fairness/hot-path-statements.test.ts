import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';
import { citizenWithProof, solvedPayload } from './pow-client.js';

/**
 * Issue #19: the database round trips of the release moment's hot requests with every defence
 * on (rate limits and proof-of-work, counters in PostgreSQL, the production caches), counted at
 * pg's client. Each statement is one socket write and one answer: the server's main cost there.
 * Before this work a booking made 6 (rate-limit upsert, tier read, challenge INSERT, facts read,
 * exam-category read, the claim); now 4. The refusals and rules are tested elsewhere
 * (antibot, rate-limits, entity-and-exam, lottery).
 */

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const RELEASE = '2026-11-23T04:00:30Z';
const LOTTERY_DAY = '2026-12-14';
const FIRST_COME_DAY = '2026-11-30';

describe.runIf(requirePostgres())('issue #19: statements per hot request on postgres', () => {
  let h: Harness;
  const seen: string[] = [];
  let counting = false;
  let inFlight = 0;
  let mostInFlight = 0;
  const query = pg.Client.prototype.query;

  beforeAll(async () => {
    h = await createHarness('postgres', {
      now: RELEASE,
      env: {
        ANTIBOT: 'on',
        RATE_LIMITS: 'on',
        SESSION_CACHE_MS: '2000',
        AVAILABILITY_CACHE_MS: '1000',
      },
    });
    await seedCatalog(h.ctx.db);
    // biome-ignore lint/suspicious/noExplicitAny: a counting wrapper around pg's overloads
    (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
      const c = args[0];
      const text = typeof c === 'string' ? c : String(c?.text ?? '');
      // The attempts' audit rows are written by a timer once a second, outside every request
      // (fairness-service), and the outbox nudge after a booking at most once in NUDGE_MS, from
      // a trailing timer: on a slow machine either can fall inside the counted request.
      if (!counting || /^insert into "?booking_attempts"?|^SELECT pg_notify/i.test(text)) {
        // biome-ignore lint/suspicious/noExplicitAny: forwards every overload unchanged
        return (query as any).apply(this, args);
      }
      seen.push(text);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // biome-ignore lint/suspicious/noExplicitAny: forwards every overload unchanged
      const answer = (query as any).apply(this, args);
      // Every hot statement is sent without a callback: its answer is a promise.
      void Promise.resolve(answer).then(
        () => (inFlight -= 1),
        () => (inFlight -= 1),
      );
      return answer;
    };
  });
  afterAll(async () => {
    pg.Client.prototype.query = query;
    await h?.close();
  });

  async function count<T>(
    work: () => Promise<T>,
  ): Promise<{ result: T; statements: string[]; mostInFlight: number }> {
    seen.length = 0;
    mostInFlight = 0;
    counting = true;
    try {
      const result = await work();
      return { result, statements: [...seen], mostInFlight };
    } finally {
      counting = false;
    }
  }

  const citizen = (n: number) => citizenWithProof(h.app, n);

  it('a first-come booking: claim with rate-limit take and tier read, facts with exam category, write = 3', async () => {
    const slot = await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '10:00', capacity: 5 });
    const p = await citizen(9101);
    const { result, statements } = await count(() =>
      h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha }),
    );
    expect(result.statusCode).toBe(201);
    // Before the take rode in the claim (its own upsert, before the body was read): 4.
    expect(statements, statements.join('\n---\n')).toHaveLength(3);
  });

  it("a booking's facts read goes out while its proof is claimed: 2 round trips in a row (3 statements)", async () => {
    const slot = await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '10:30', capacity: 5 });
    const p = await citizen(9106);
    const booked = await count(() => h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha }));
    expect(booked.result.statusCode).toBe(201);
    // Before: the claim was answered before the facts read was sent (never two at once).
    expect(booked.mostInFlight).toBe(2);
    expect(booked.statements).toHaveLength(3);
  });

  it('rule 9: a missing, unsolved or foreign proof is refused before the facts are read', async () => {
    const slot = await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '10:50', capacity: 5 });
    const p = await citizen(9108);
    const other = await citizen(9109);
    for (const altcha of [undefined, 'not-a-proof', other.altcha]) {
      const { result, statements } = await count(() =>
        h.client.book({ cookie: p.cookie }, { slotId: slot, altcha }),
      );
      expect(result.statusCode).toBe(403);
      expect(statements.filter((text) => /\bslots\b/.test(text))).toEqual([]);
    }
  });

  it('rule 9: a refused proof still answers first and writes nothing, though the facts were read alongside', async () => {
    const slot = await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '10:45', capacity: 5 });
    const p = await citizen(9107);
    const spent = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha });
    expect(spent.statusCode).toBe(201);
    const other = await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '11:15', capacity: 5 });
    // The same proof again, for a place that exists, for one that does not, as a priority claim:
    // the refusal of the proof is the answer each time, and nothing is written.
    for (const body of [
      { slotId: other },
      { slotId: 999_999 },
      { slotId: other, priority: { category: 'x' } },
    ]) {
      const again = await h.client.book({ cookie: p.cookie }, { ...body, altcha: p.altcha });
      expect(again.statusCode).toBe(403);
      expect(again.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'reused' });
    }
    expect(await registrationsOn(h, other)).toBe(0);
  });

  it("a lottery entry in the release window: 3 statements (the day's first: 4)", async () => {
    const slot = await addSlot(h.ctx.db, {
      day: LOTTERY_DAY,
      time: '10:00',
      capacity: 1,
      releasedAt: new Date('2026-11-23T04:00:00Z'),
    });
    // The day's first entry also creates its draw row (once a day): 4.
    const first = await citizen(9102);
    const opening = await count(() =>
      h.client.book({ cookie: first.cookie }, { slotId: slot, altcha: first.altcha }),
    );
    expect(opening.result.statusCode).toBe(202);
    expect(opening.statements, opening.statements.join('\n---\n')).toHaveLength(4);
    const p = await citizen(9104);
    const { result, statements } = await count(() =>
      h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha }),
    );
    expect(result.statusCode).toBe(202);
    expect(statements, statements.join('\n---\n')).toHaveLength(3);
  });

  it('rule 9: concurrent takes of a limit are one statement and count exactly as one after another', async () => {
    const limits = h.ctx.fairness.limits;
    if (!limits) throw new Error('rate limits are on');
    const allowed = h.config.fairness.rateLimits.bookings.identity;
    const who = { identity: 'p:issue-19-batch', address: '198.51.100.19' };
    const { result, statements } = await count(() =>
      Promise.allSettled(Array.from({ length: allowed + 3 }, () => limits.consume('bookings', who))),
    );
    expect(result.filter((r) => r.status === 'fulfilled')).toHaveLength(allowed);
    const refused = result.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(3);
    expect(refused.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(3).fill('RATE_LIMITED'));
    expect(statements, statements.join('\n---\n')).toHaveLength(1);
    // The next one, alone, is refused too: the row holds every point taken.
    await expect(limits.consume('bookings', who)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('rule 9: one proof sent in several requests at the same moment passes once (the claims go as one statement)', async () => {
    const slots = await Promise.all(
      ['12:00', '12:30', '13:00', '13:30', '14:00'].map((time) =>
        addSlot(h.ctx.db, { day: FIRST_COME_DAY, time, capacity: 5 }),
      ),
    );
    const p = await citizen(9105);
    const answers = await Promise.all(
      slots.map((slotId) => h.client.book({ cookie: p.cookie }, { slotId, altcha: p.altcha })),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([201, 403, 403, 403, 403]);
    for (const a of answers.filter((x) => x.statusCode === 403)) {
      expect(a.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'reused' });
    }
  });

  it('rule 9: one proof replayed in many turns at once passes once; the batches never deadlock on a counter', async () => {
    // Each request is its own batch (a turn apart), all in flight together: every statement takes
    // the same identity's counter and claims the same challenge (8: under the identity's 10 a minute).
    const slot = await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '15:00', capacity: 30 });
    const p = await citizen(9110);
    const sent: Array<Promise<{ statusCode: number; json(): unknown }>> = [];
    for (let i = 0; i < 8; i++) {
      sent.push(h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const answers = await Promise.all(sent);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, ...Array(7).fill(403)]);
    // Spent, or (once the refusals counted as failures raise the tier) too easy by then.
    for (const a of answers.filter((x) => x.statusCode === 403)) {
      expect(a.json()).toMatchObject({
        code: 'ANTIBOT_REQUIRED',
        reason: expect.stringMatching(/^(reused|difficulty)$/),
      });
    }
  });

  it('slots of a day: the rate-limit upsert (reserving a few points) and the slots read (2), then the cache and the reservation (0)', async () => {
    await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '11:00', capacity: 5 });
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(9103) });
    await h.app.inject({ url: '/api/v1/me', headers: { cookie: p.cookie } }); // the session is cached
    const url = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${FIRST_COME_DAY}`;
    const first = await count(() => h.app.inject({ url, headers: { cookie: p.cookie } }));
    expect(first.result.statusCode).toBe(200);
    expect(first.statements, first.statements.join('\n---\n')).toHaveLength(2);
    const again = await count(() => h.app.inject({ url, headers: { cookie: p.cookie } }));
    expect(again.result.statusCode).toBe(200);
    // Before the read limits were leased (#19): 1, the rate-limit upsert of every read.
    expect(again.statements, again.statements.join('\n---\n')).toHaveLength(0);
  });
});

/** How many registrations a slot holds (whatever their status). */
async function registrationsOn(h: Harness, slotId: number): Promise<number> {
  const rows = await h.ctx.db
    .selectFrom('registrations')
    .select('id')
    .where('slot_id', '=', slotId)
    .execute();
  return rows.length;
}

/** 1 when the challenge is recorded as used (spent), else 0. */
async function spent(h: Harness, challenge: string): Promise<number> {
  const rows = await h.ctx.db
    .selectFrom('antibot_used')
    .select('challenge')
    .where('challenge', '=', challenge)
    .execute();
  return rows.length;
}

describe.runIf(requirePostgres())('rule 9: the claim read with the tier on postgres', () => {
  let h: Harness;
  let slot: number;
  beforeAll(async () => {
    h = await createHarness('postgres', { env: { ANTIBOT: 'on' } });
    await seedCatalog(h.ctx.db);
    slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 20 });
  });
  afterAll(() => h?.close());

  const used = (challenge: string) => spent(h, challenge);

  it('a refusal for difficulty spends nothing (the claim is given back); a pass spends it once', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(9201) });
    const easy = await solvedPayload(h.app, { cookie: p.cookie });
    for (let i = 0; i < 16; i++) await h.client.book({ cookie: p.cookie }, { slotId: slot }); // 16 failures
    const res = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: easy.altcha });
    expect(res.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'difficulty' });
    expect(await used(easy.payload.challenge)).toBe(0);
    // Refused again for difficulty (not "reused"): the refusal did not spend it.
    const again = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: easy.altcha });
    expect(again.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'difficulty' });
    const hard = await solvedPayload(h.app, { cookie: p.cookie });
    expect(
      (await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: hard.altcha })).statusCode,
    ).toBe(201);
    expect(await used(hard.payload.challenge)).toBe(1);
    const replay = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: hard.altcha });
    expect(replay.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'reused' });
  });
});

describe.runIf(requirePostgres())(
  "rule 9: a booking's rate-limit take in its proof's claim, on postgres",
  () => {
    let h: Harness;
    const LIMIT = 3;
    beforeAll(async () => {
      h = await createHarness('postgres', {
        env: { ANTIBOT: 'on', RATE_LIMITS: 'on', RATE_LIMIT_BOOKINGS: `${LIMIT}/1000` },
      });
      await seedCatalog(h.ctx.db);
    });
    afterAll(() => h?.close());

    const used = (challenge: string) => spent(h, challenge);

    it('attempts refused for their proof are still counted, and an exhausted limit answers before any proof, spending none', async () => {
      const slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 20 });
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(9301) });
      const other = await citizenWithProof(h.app, 9302);
      // Refused without the database (no proof, junk, another session's proof), each counted.
      for (const altcha of [undefined, 'not-a-proof', other.altcha]) {
        const res = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha });
        expect(res.statusCode).toBe(403);
      }
      const good = await solvedPayload(h.app, { cookie: p.cookie });
      const limited = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: good.altcha });
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await used(good.payload.challenge)).toBe(0);
      for (const altcha of [undefined, 'not-a-proof', other.altcha]) {
        expect((await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha })).statusCode).toBe(429);
      }
      expect(await registrationsOn(h, slot)).toBe(0);
    });

    it('concurrent attempts of one identity, each with its own proof: exactly the limit is let through', async () => {
      const slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '11:00', capacity: 20 });
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(9303) });
      const proofs = await Promise.all(
        Array.from({ length: LIMIT + 3 }, () => solvedPayload(h.app, { cookie: p.cookie })),
      );
      const answers = await Promise.all(
        proofs.map((proof) => h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: proof.altcha })),
      );
      const codes = answers.map((a) => a.statusCode);
      expect(codes.filter((c) => c === 429)).toHaveLength(3);
      // One booking (rule 1: one a day); the other admitted attempts are refused by the rules.
      expect(codes.filter((c) => c === 201)).toHaveLength(1);
      const spent = await Promise.all(proofs.map((proof) => used(proof.payload.challenge)));
      expect(spent.filter((n) => n === 1)).toHaveLength(LIMIT);
    });
  },
);
