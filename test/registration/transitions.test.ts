import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationStatus } from '../../src/platform/db-schema.js';
import { allowedPairs, canTransition, STATUSES } from '../../src/registration/registration-states.js';
import { transitionOne } from '../../src/registration/registration-store.js';
import { CENTER, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * The lifecycle table is enforced by the database write itself (migration 0009): every one of
 * the 11 × 11 (from, to) pairs is tried as a plain UPDATE of `status`, as any code or a person
 * with SQL access would write it; the forbidden ones are refused, the allowed ones succeed.
 */
const NOW = new Date('2026-11-23T07:00:00Z'); // Monday 09:00 Kyiv
const TODAY = '2026-11-23';

describe.each(testDatabases())('registration transitions enforced by the database on %s', (kind) => {
  let h: Harness;
  let personId: string;
  let other: string;
  let seq = 0;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW.toISOString() });
    await seedCatalog(h.ctx.db);
    personId = (await citizenCookie(h.app, { rnokpp: rnokpp(8101) })).personId;
    other = (await citizenCookie(h.app, { rnokpp: rnokpp(8102) })).personId;
  });
  afterAll(() => h.close());

  async function registration(
    status: RegistrationStatus,
    fields: {
      day?: string;
      startsAt?: Date;
      heldUntil?: Date | null;
      channel?: 'online' | 'terminal';
      owner?: string;
    } = {},
  ) {
    const id = crypto.randomUUID();
    // A person of their own unless the test needs the owner: one person holds one active
    // online registration per day and service group (SPEC rule 1).
    const owner = fields.owner ?? (await citizenCookie(h.app, { rnokpp: rnokpp(8200 + ++seq) })).personId;
    const startsAt = fields.startsAt ?? new Date('2026-11-23T10:00:00Z');
    // Any starting state, written the way only a fixture may (an INSERT is not a transition).
    await sql`INSERT INTO registrations (id, center_id, service_id, group_id, person_id, channel, status, day,
        starts_at, call_at, held_until, created_at, updated_at)
      VALUES (${id}, ${CENTER}, ${SERVICE.vehicle}, ${GROUP.vehicle}, ${owner}, ${fields.channel ?? 'online'},
        ${status}, ${fields.day ?? TODAY}, ${startsAt}, ${startsAt}, ${fields.heldUntil ?? null}, ${NOW},
        ${NOW})`.execute(h.ctx.db);
    return id;
  }

  const statusOf = async (id: string) =>
    (
      await h.ctx.db
        .selectFrom('registrations')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  it('the database holds exactly the allowed pairs of the table', async () => {
    const rows = await h.ctx.db.selectFrom('registration_transitions').selectAll().execute();
    const key = ([from, to]: readonly [string, string]) => `${from} → ${to}`;
    expect(rows.map((r) => key([r.from_status, r.to_status])).sort()).toEqual(allowedPairs().map(key).sort());
  });

  it('every (from, to) pair: a forbidden UPDATE of status is refused, an allowed one succeeds', async () => {
    const results: string[] = [];
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const id = await registration(from);
        let refused: string | null = null;
        try {
          await sql`UPDATE registrations SET status = ${to} WHERE id = ${id}`.execute(h.ctx.db);
        } catch (error) {
          refused = (error as Error).message;
        }
        const allowed = canTransition(from, to);
        if (allowed !== (refused === null)) results.push(`${from} → ${to}: ${refused ?? 'accepted'}`);
        if (!allowed) expect(refused).toBe('INVALID_STATE');
        expect(await statusOf(id)).toBe(allowed ? to : from);
      }
    }
    expect(results).toEqual([]);
  });

  it('updates that leave status alone are not transitions', async () => {
    const id = await registration('served');
    await sql`UPDATE registrations SET call_at = call_at + interval '1 minute' WHERE id = ${id}`.execute(
      h.ctx.db,
    );
    expect(await statusOf(id)).toBe('served');
  });

  it('one forbidden move among many allowed ones refuses the whole statement (checked once per statement)', async () => {
    // Migration 0024 checks a statement's changes of status together (the draw closes 185,000
    // losers in a few statements); a bad row anywhere in it must still stop all of it.
    const pending = [
      await registration('pending'),
      await registration('pending'),
      await registration('pending'),
    ];
    const served = await registration('served');
    const all = [...pending, served];
    await expect(
      sql`UPDATE registrations SET status = 'lost' WHERE id = ANY(${all}::uuid[])`.execute(h.ctx.db),
    ).rejects.toThrow('INVALID_STATE');
    for (const id of all) expect(await statusOf(id)).toBe(id === served ? 'served' : 'pending');
    await sql`UPDATE registrations SET status = 'lost' WHERE id = ANY(${pending}::uuid[])`.execute(h.ctx.db);
    for (const id of pending) expect(await statusOf(id)).toBe('lost');
  });

  it('a mixed statement is checked pair by pair: booked → called passes, called → pending is refused', async () => {
    const booked = await registration('booked');
    const called = await registration('called');
    const flip = sql`UPDATE registrations
      SET status = CASE WHEN id = ${booked}::uuid THEN 'called' ELSE 'pending' END
      WHERE id IN (${booked}::uuid, ${called}::uuid)`;
    await expect(flip.execute(h.ctx.db)).rejects.toThrow('INVALID_STATE');
    expect([await statusOf(booked), await statusOf(called)]).toEqual(['booked', 'called']);
  });

  it('the id of a registration never changes (the statement check pairs old and new rows by id)', async () => {
    const id = await registration('pending');
    await expect(
      sql`UPDATE registrations SET id = ${crypto.randomUUID()}::uuid, status = 'lost' WHERE id = ${id}`.execute(
        h.ctx.db,
      ),
    ).rejects.toThrow('INVALID_STATE');
    expect(await statusOf(id)).toBe('pending');
  });

  it('rule 6: mark_no_show needs a ticket of today called the policy number of times', async () => {
    const input = { today: TODAY, staffId: 'st-admin-1', callsBeforeNoShow: 2 };
    const future = await registration('called', { day: '2026-11-24' });
    await sql`UPDATE registrations SET call_count = 2 WHERE id = ${future}`.execute(h.ctx.db);
    expect(await transitionOne(h.ctx.db, 'mark_no_show', future, input, NOW)).toBeUndefined();
    const once = await registration('called');
    await sql`UPDATE registrations SET call_count = 1 WHERE id = ${once}`.execute(h.ctx.db);
    expect(await transitionOne(h.ctx.db, 'mark_no_show', once, input, NOW)).toBeUndefined();
    expect(
      await transitionOne(h.ctx.db, 'mark_no_show', await registration('booked'), input, NOW),
    ).toBeUndefined();
    await sql`UPDATE registrations SET call_count = 2 WHERE id = ${once}`.execute(h.ctx.db);
    expect((await transitionOne(h.ctx.db, 'mark_no_show', once, input, NOW))?.status).toBe('no_show');
  });

  it("rule 6: serve and refuse need a ticket called to the operator's own desk", async () => {
    const id = await registration('booked', { channel: 'terminal' });
    await transitionOne(
      h.ctx.db,
      'call',
      id,
      { today: TODAY, deskId: `${CENTER}-d1`, staffId: 'st-head-1' },
      NOW,
    );
    const elsewhere = { deskId: `${CENTER}-d2`, staffId: 'st-admin-1' };
    expect(
      await transitionOne(h.ctx.db, 'serve', id, { ...elsewhere, examPassed: null }, NOW),
    ).toBeUndefined();
    expect(await transitionOne(h.ctx.db, 'refuse', id, elsewhere, NOW)).toBeUndefined();
    const caller = { deskId: null, staffId: 'st-head-1', examPassed: null };
    expect((await transitionOne(h.ctx.db, 'serve', id, caller, NOW))?.status).toBe('served');
  });

  it('rule 3: cancel only by the owner until 2 hours before; a withdrawn lottery entry is cancelled', async () => {
    const soon = await registration('booked', {
      owner: personId,
      startsAt: new Date(NOW.getTime() + 119 * 60_000),
    });
    const input = { personId, cancelBeforeMinutes: 120 };
    expect(await transitionOne(h.ctx.db, 'cancel', soon, input, NOW)).toBeUndefined();
    const later = await registration('booked', {
      owner: personId,
      day: '2026-11-24',
      startsAt: new Date(NOW.getTime() + 120 * 60_000),
    });
    expect(
      await transitionOne(h.ctx.db, 'cancel', later, { ...input, personId: other }, NOW),
    ).toBeUndefined();
    expect((await transitionOne(h.ctx.db, 'cancel', later, input, NOW))?.status).toBe('cancelled');
    const entry = await registration('pending', { owner: personId, day: '2026-11-25' });
    expect((await transitionOne(h.ctx.db, 'withdraw', entry, { personId }, NOW))?.status).toBe('cancelled');
  });

  it('rule 12: an offer is accepted only by its waiter while held; released when the hold ends', async () => {
    const held = await registration('offered', {
      owner: personId,
      day: '2026-11-26',
      heldUntil: new Date(NOW.getTime() + 60_000),
    });
    const place = { centerId: CENTER, day: '2026-11-26' };
    expect(
      await transitionOne(h.ctx.db, 'offer_accepted', held, { personId: other, ...place }, NOW),
    ).toBeUndefined();
    expect(await transitionOne(h.ctx.db, 'offer_released', held, { personId: null }, NOW)).toBeUndefined();
    const accepted = await transitionOne(h.ctx.db, 'offer_accepted', held, { personId, ...place }, NOW);
    expect(accepted?.status).toBe('booked');
    expect(accepted?.number).toBeGreaterThanOrEqual(1000); // the ticket is numbered on acceptance
    const expired = await registration('offered', {
      owner: personId,
      day: '2026-11-27',
      heldUntil: new Date(NOW.getTime() - 1),
    });
    expect(
      await transitionOne(
        h.ctx.db,
        'offer_accepted',
        expired,
        { personId, centerId: CENTER, day: '2026-11-27' },
        NOW,
      ),
    ).toBeUndefined();
    expect((await transitionOne(h.ctx.db, 'offer_released', expired, { personId: null }, NOW))?.status).toBe(
      'released',
    );
  });

  it('rule 13: a checked-in ticket taken off the desk goes back to arrived', async () => {
    const id = await registration('booked');
    expect((await transitionOne(h.ctx.db, 'check_in', id, { today: TODAY }, NOW))?.status).toBe('arrived');
    await transitionOne(
      h.ctx.db,
      'call',
      id,
      { today: TODAY, deskId: `${CENTER}-d1`, staffId: 'st-admin-1' },
      NOW,
    );
    expect((await transitionOne(h.ctx.db, 'park', id, {}, NOW))?.status).toBe('arrived');
    const tomorrow = await registration('booked', { day: '2026-11-24' });
    expect(await transitionOne(h.ctx.db, 'check_in', tomorrow, { today: TODAY }, NOW)).toBeUndefined();
  });
});
