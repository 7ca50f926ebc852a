import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEntryWithOthers } from '../../src/fairness/lottery-entries-store.js';
import type { EntryWrite } from '../../src/fairness/lottery-store.js';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Issue #19: the lottery entries of concurrent requests are written in one statement, and every
 * request gets exactly the answer it would have got alone (rule 9: one entry per person, day and
 * service; rule 1: one active registration per day and group).
 */

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const RELEASE = '2026-11-23T04:00:30Z';
const DAY = '2026-12-14';
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');

describe.each(testDatabases())('rule 9: lottery entries written together, on %s', (kind) => {
  let h: Harness;
  let slot: number;
  let seq = 0;
  const statements: string[] = [];
  const query = pg.Client.prototype.query;

  beforeAll(async () => {
    h = await createHarness(kind, { now: RELEASE });
    await seedCatalog(h.ctx.db);
    slot = await addSlot(h.ctx.db, { day: DAY, time: '10:00', capacity: 50, releasedAt: RELEASED_AT });
    // biome-ignore lint/suspicious/noExplicitAny: a recording wrapper around pg's overloads
    (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
      const c = args[0];
      statements.push(typeof c === 'string' ? c : String(c?.text ?? ''));
      // biome-ignore lint/suspicious/noExplicitAny: forwards every overload unchanged
      return (query as any).apply(this, args);
    };
  });
  afterAll(async () => {
    pg.Client.prototype.query = query;
    await h.close();
  });

  const person = async () => citizenCookie(h.app, { rnokpp: rnokpp(7300 + ++seq) });
  const entries = async (personId: string) =>
    (await h.ctx.db.selectFrom('lottery_entries').select('id').where('person_id', '=', personId).execute())
      .length;

  it('twenty people entering at once: twenty entries, pending registrations and audit rows', async () => {
    const people = await Promise.all(Array.from({ length: 20 }, person));
    statements.length = 0;
    const answers = await Promise.all(
      people.map((p) => h.client.book({ cookie: p.cookie }, { slotId: slot })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(202));
    if (kind === 'postgres') {
      const inserts = statements.filter((s) => /INSERT INTO lottery_entries/i.test(s));
      expect(inserts.length).toBeLessThan(20);
    }
    for (const p of people) expect(await entries(p.personId)).toBe(1);
    const metrics = (await h.app.inject({ url: '/metrics' })).body;
    const together = /^ezapys_lottery_entry_writes_total\{path="together"\} (\d+)$/m.exec(metrics)?.[1];
    expect(Number(together)).toBeGreaterThanOrEqual(2);
    const ids = answers.map((a) => a.json().id as string);
    const regs = await h.ctx.db
      .selectFrom('registrations')
      .select(['id', 'status', 'slot_id', 'number'])
      .where('id', 'in', ids)
      .execute();
    expect(regs).toHaveLength(20);
    expect(regs.every((r) => r.status === 'pending' && r.slot_id === null && r.number === null)).toBe(true);
    const trail = await h.ctx.db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'lottery.entered')
      .where('subject_id', 'in', ids)
      .execute();
    expect(trail).toHaveLength(20);
  });

  it('a mixed crowd at once gets the answers each would have got alone', async () => {
    const twice = await person(); // sends two entries at once: one 202, one LOTTERY_ALREADY_ENTERED
    const entered = await person(); // entered before: LOTTERY_ALREADY_ENTERED
    const others = await Promise.all(Array.from({ length: 6 }, person));
    expect((await h.client.book({ cookie: entered.cookie }, { slotId: slot })).statusCode).toBe(202);
    const answers = await Promise.all([
      h.client.book({ cookie: twice.cookie }, { slotId: slot }),
      ...others.map((p) => h.client.book({ cookie: p.cookie }, { slotId: slot })),
      h.client.book({ cookie: entered.cookie }, { slotId: slot }),
      h.client.book({ cookie: twice.cookie }, { slotId: slot }),
    ]);
    const codes = answers.map((a) => (a.statusCode === 202 ? 202 : `${a.statusCode} ${a.json().code}`));
    expect(codes).toEqual([
      202,
      ...Array(6).fill(202),
      '409 LOTTERY_ALREADY_ENTERED',
      '409 LOTTERY_ALREADY_ENTERED',
    ]);
    expect(await entries(twice.personId)).toBe(1);
    expect(await entries(entered.personId)).toBe(1);
  });

  it('a batch that cannot stand leaves nothing of itself, and each entry is written alone', async () => {
    const people = await Promise.all(Array.from({ length: 4 }, person));
    const write = (personId: string, i: number, groupId = 'vehicle-registration'): EntryWrite => ({
      id: crypto.randomUUID(),
      day: DAY,
      personId,
      serviceId: SERVICE.vehicle,
      centerId: CENTER,
      groupId,
      slotId: slot,
      startsAt: new Date(`${DAY}T08:00:00Z`),
      legalEntity: null,
      examCategory: null,
      now: new Date(RELEASE),
      audit: { actorKind: 'citizen', actorId: personId, ip: `198.51.100.${i}` },
      idempotency: null,
    });
    const group = (
      await h.ctx.db
        .selectFrom('services')
        .select('group_id')
        .where('id', '=', SERVICE.vehicle)
        .executeTakeFirstOrThrow()
    ).group_id;
    // The third names a service group that does not exist: its registration cannot be written,
    // which fails the batch's one statement; the others must still be entered, each alone.
    const results = await Promise.allSettled(
      people.map((p, i) =>
        writeEntryWithOthers(h.ctx.db, write(p.personId, i, i === 2 ? 'no-such-group' : group)),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual(
      Array(3).fill({ ok: true }),
    );
    expect(await Promise.all(people.map((p) => entries(p.personId)))).toEqual([1, 1, 0, 1]);
  });
});
