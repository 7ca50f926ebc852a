import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// Monday 23 Nov 2026, 09:00 Kyiv.
const NOW = '2026-11-23T07:00:00Z';
let seq = 0;
const nextPerson = () => rnokpp(1000 + ++seq);

describe.each(testDatabases())('online booking on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set(NOW));

  /** A visit's end written directly, through `called` (the database allows no other way). */
  async function endVisit(
    id: string,
    end: { status: 'no_show' | 'served'; alert_excused?: boolean; exam_passed?: boolean },
  ) {
    const db = h.ctx.db;
    await db.updateTable('registrations').set({ status: 'called' }).where('id', '=', id).execute();
    await db.updateTable('registrations').set(end).where('id', '=', id).execute();
  }

  it('rule 1: a person holds at most 4 online registrations per month, counted by appointment month', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: nextPerson() });
    // One active registration per day and service group: four November days.
    const november: number[] = [];
    for (const day of ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'])
      november.push(await addSlot(h.ctx.db, { day, time: '09:00', capacity: 10 }));
    for (let i = 0; i < 4; i++)
      expect((await h.client.book({ cookie }, { slotId: november[i] })).statusCode).toBe(201);
    const fifth = await h.client.book({ cookie }, { slotId: november[4] });
    expect(fifth.statusCode).toBe(409);
    expect(fifth.json()).toMatchObject({
      code: 'LIMIT_REACHED',
      detail: 'За вказаними даними Заявника перевищено ліміт записів',
    });
    // A December appointment counts in December, even though it is booked in November.
    const december = await addSlot(h.ctx.db, { day: '2026-12-01', time: '09:00', capacity: 10 });
    expect((await h.client.book({ cookie }, { slotId: december })).statusCode).toBe(201);
  });

  it('rule 1: cancelled registrations still count towards the limit', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-27', time: '10:00', capacity: 10 });
    // Book-and-cancel churn: each cancelled registration keeps its unit of the limit.
    for (let i = 0; i < 4; i++) {
      const id = (await h.client.book({ cookie }, { slotId: slot })).json().id;
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${id}/cancel`,
        headers: { cookie },
      });
      expect(res.json()).toEqual({ id, status: 'cancelled' });
    }
    expect((await h.client.book({ cookie }, { slotId: slot })).json().code).toBe('LIMIT_REACHED');
    const me = await h.app.inject({ url: '/api/v1/me', headers: { cookie } });
    expect(me.json().limits.online).toEqual({ used: 4, limit: 4 });
  });

  it('rule 1: a legal entity holds at most 4 online registrations per day, whoever books', async () => {
    const entity = { edrpou: '14360570', name: 'ТОВ «Тест»' };
    const day = '2026-11-26';
    const slot = await addSlot(h.ctx.db, { day, time: '11:00', capacity: 10 });
    for (let i = 0; i < 4; i++) {
      const { cookie } = await citizenCookie(h.app, { rnokpp: nextPerson(), legalEntity: entity });
      expect((await h.client.book({ cookie }, { slotId: slot, legalEntity: entity })).statusCode).toBe(201);
    }
    const { cookie } = await citizenCookie(h.app, { rnokpp: nextPerson(), legalEntity: entity });
    expect((await h.client.book({ cookie }, { slotId: slot, legalEntity: entity })).json().code).toBe(
      'LIMIT_REACHED',
    );
    const nextDay = await addSlot(h.ctx.db, { day: '2026-11-27', time: '11:00', capacity: 10 });
    expect((await h.client.book({ cookie }, { slotId: nextDay, legalEntity: entity })).statusCode).toBe(201);
  });

  it('rule 1: an invalid ЄДРПОУ is a validation error and writes nothing', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-26', time: '12:00', capacity: 1 });
    const res = await h.client.book(
      { cookie },
      { slotId: slot, legalEntity: { edrpou: '14360571', name: 'X' } },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION');
    const s = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(s.booked).toBe(0);
  });

  it('horizon: today and D+22 are OUT_OF_HORIZON; the new 21st day opens at 06:00 Kyiv', async () => {
    const person = nextPerson();
    let { cookie } = await citizenCookie(h.app, { rnokpp: person });
    const today = await addSlot(h.ctx.db, { day: '2026-11-23', time: '16:00', capacity: 5 });
    expect((await h.client.book({ cookie }, { slotId: today })).json().code).toBe('OUT_OF_HORIZON');
    const d22 = await addSlot(h.ctx.db, { day: '2026-12-15', time: '10:00', capacity: 5 });
    expect((await h.client.book({ cookie }, { slotId: d22 })).json().code).toBe('OUT_OF_HORIZON');
    // At 05:59 Kyiv on 24 Nov, 15 Dec is still D+21 of tomorrow's release: not yet open.
    h.clock.set('2026-11-24T03:59:00Z');
    ({ cookie } = await citizenCookie(h.app, { rnokpp: person })); // the old session idled out overnight
    expect((await h.client.book({ cookie }, { slotId: d22 })).json().code).toBe('OUT_OF_HORIZON');
    // From 06:10, once the release lottery's draw has committed, first come first served.
    h.clock.set('2026-11-24T04:10:00Z');
    ({ cookie } = await citizenCookie(h.app, { rnokpp: person }));
    await h.ctx.fairness.lottery.drawDue();
    expect((await h.client.book({ cookie }, { slotId: d22 })).statusCode).toBe(201);
  });

  it('rule 3: cancel until 2 hours before; later CANCEL_TOO_LATE', async () => {
    const person = nextPerson();
    let { cookie } = await citizenCookie(h.app, { rnokpp: person });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-24', time: '10:00', capacity: 2 }); // 08:00Z
    const licence = await addSlot(h.ctx.db, {
      day: '2026-11-24',
      time: '10:00',
      capacity: 2,
      group: GROUP.licence,
    });
    const a = (await h.client.book({ cookie }, { slotId: slot })).json();
    const b = (await h.client.book({ cookie }, { slotId: licence, serviceId: SERVICE.licence })).json();
    h.clock.set('2026-11-24T06:00:00Z');
    ({ cookie } = await citizenCookie(h.app, { rnokpp: person }));
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/v1/bookings/${a.id}/cancel`, headers: { cookie } }))
        .statusCode,
    ).toBe(200);
    h.clock.set('2026-11-24T06:00:01Z');
    const late = await h.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${b.id}/cancel`,
      headers: { cookie },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('CANCEL_TOO_LATE');
  });

  it('rule 3: a cancelled place returns to the pool only after the random delay', async () => {
    // Places the earlier tests cancelled come back first (each up to 30 minutes after NOW), so
    // the count below is this test's place alone, whatever delays they drew.
    h.clock.set(new Date(Date.parse(NOW) + 31 * 60_000));
    await h.ctx.booking.returnDuePlaces();
    h.clock.set(NOW);
    const { cookie } = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const other = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-28', time: '10:00', capacity: 1 });
    const reg = (await h.client.book({ cookie }, { slotId: slot })).json();
    await h.app.inject({ method: 'POST', url: `/api/v1/bookings/${reg.id}/cancel`, headers: { cookie } });
    expect((await h.client.book({ cookie: other.cookie }, { slotId: slot })).json().code).toBe('SLOT_TAKEN');
    const ret = await h.ctx.db
      .selectFrom('slot_returns')
      .select('due_at')
      .where('registration_id', '=', reg.id)
      .executeTakeFirstOrThrow();
    const delay = new Date(ret.due_at).getTime() - h.clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(5 * 60_000);
    expect(delay).toBeLessThanOrEqual(30 * 60_000);
    h.clock.set(new Date(new Date(ret.due_at).getTime() - 1000));
    await h.ctx.booking.returnDuePlaces();
    expect((await h.client.book({ cookie: other.cookie }, { slotId: slot })).json().code).toBe('SLOT_TAKEN');
    h.clock.set(ret.due_at);
    expect(await h.ctx.booking.returnDuePlaces()).toBe(1);
    expect((await h.client.book({ cookie: other.cookie }, { slotId: slot })).statusCode).toBe(201);
  });

  it('rule 2: a registration belongs to its owner: another person cannot cancel or see it', async () => {
    const owner = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const stranger = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '15:00', capacity: 2 });
    const reg = (await h.client.book({ cookie: owner.cookie }, { slotId: slot })).json();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${reg.id}/cancel`,
      headers: { cookie: stranger.cookie },
    });
    expect(res.statusCode).toBe(404);
    const mine = await h.app.inject({ url: '/api/v1/me/bookings', headers: { cookie: stranger.cookie } });
    expect(mine.json()).toEqual([]);
    const status = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('id', '=', reg.id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('booked');
  });

  it('rule 4: four online no-shows in a month block the person for 30 days in both channels; only the head of the last center lifts it', async () => {
    const person = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-24', time: '09:30', capacity: 10 });
    for (let i = 0; i < 4; i++) {
      const reg = (await h.client.book({ cookie: person.cookie }, { slotId: slot })).json();
      await endVisit(reg.id, { status: 'no_show' });
      const until = await h.ctx.db
        .transaction()
        .execute((trx) => h.ctx.booking.applyNoShowRule(trx, person.personId, CENTER));
      if (i < 3) expect(until).toBeNull();
      else expect(until).toEqual(new Date(h.clock.now().getTime() + 30 * 86_400_000));
    }
    // The limit is spent by now anyway; BLOCKED is checked first.
    const later = await addSlot(h.ctx.db, { day: '2026-12-02', time: '09:30', capacity: 10 });
    const res = await h.client.book({ cookie: person.cookie }, { slotId: later });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'BLOCKED', blockedUntil: '2026-12-23T07:00:00.000Z' });
    expect(
      (await h.app.inject({ url: '/api/v1/me', headers: { cookie: person.cookie } })).json().blockedUntil,
    ).toBe('2026-12-23T07:00:00.000Z');
    const outbox = await h.ctx.db
      .selectFrom('outbox')
      .select('template')
      .where('template', '=', 'person_blocked')
      .execute();
    expect(outbox.length).toBeGreaterThanOrEqual(1);

    const idValue = h.ctx.crypto.decrypt(
      (
        await h.ctx.db
          .selectFrom('persons')
          .select('id_enc')
          .where('id', '=', person.personId)
          .executeTakeFirstOrThrow()
      ).id_enc,
    );
    const lift = async (centerId: string, reason = 'Особисте звернення, поважна причина') =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/blocks/lift',
        headers: { cookie: await staffCookie(h.app, 'center_head', centerId) },
        payload: { idKind: 'rnokpp', idValue, reason },
      });
    const refused = (await lift(OTHER_CENTER)).json();
    expect(refused.code).toBe('FORBIDDEN');
    // The refusal names the center whose head can lift it.
    expect(refused.detail).toContain('ТСЦ МВС № 8041');
    expect(refused.liftCenter).toMatchObject({ id: CENTER, name: 'ТСЦ МВС № 8041' });
    expect((await lift(CENTER, '')).json().code).toBe('VALIDATION');
    const operator = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/blocks/lift',
      headers: { cookie: await staffCookie(h.app, 'operator', CENTER) },
      payload: { idKind: 'rnokpp', idValue, reason: 'Особисте звернення' },
    });
    expect(operator.json().code).toBe('FORBIDDEN');
    expect((await lift(CENTER)).json()).toMatchObject({ lifted: true });
    expect(
      (await h.app.inject({ url: '/api/v1/me', headers: { cookie: person.cookie } })).json().blockedUntil,
    ).toBeNull();
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'person.block_lifted')
      .execute();
    expect(audit.at(-1)?.details).toMatchObject({ reason: 'Особисте звернення, поважна причина' });
  });

  it('rule 4: no-shows excused by an air-raid alert never count', async () => {
    const person = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '09:30', capacity: 10 });
    for (let i = 0; i < 4; i++) {
      const reg = (await h.client.book({ cookie: person.cookie }, { slotId: slot })).json();
      await endVisit(reg.id, { status: 'no_show', alert_excused: i === 0 });
    }
    const until = await h.ctx.db
      .transaction()
      .execute((trx) => h.ctx.booking.applyNoShowRule(trx, person.personId, CENTER));
    expect(until).toBeNull();
  });

  it('rule 9: a failed exam can be booked again only 10 days after the previous one', async () => {
    const person = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const first = await addSlot(h.ctx.db, {
      day: '2026-11-24',
      time: '10:00',
      capacity: 3,
      group: GROUP.practical,
    });
    const reg = (
      await h.client.book({ cookie: person.cookie }, { slotId: first, serviceId: SERVICE.practical })
    ).json();
    await endVisit(reg.id, { status: 'served', exam_passed: false });
    const tooSoon = await addSlot(h.ctx.db, {
      day: '2026-12-03',
      time: '10:00',
      capacity: 3,
      group: GROUP.practical,
    });
    expect(
      (
        await h.client.book({ cookie: person.cookie }, { slotId: tooSoon, serviceId: SERVICE.practical })
      ).json().code,
    ).toBe('EXAM_RETRY_TOO_SOON');
    const ok = await addSlot(h.ctx.db, {
      day: '2026-12-04',
      time: '10:00',
      capacity: 3,
      group: GROUP.practical,
    });
    expect(
      (await h.client.book({ cookie: person.cookie }, { slotId: ok, serviceId: SERVICE.practical }))
        .statusCode,
    ).toBe(201);
  });

  it('rule 5: a priority registration online is refused with PRIORITY_TERMINAL_ONLY', async () => {
    const person = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-24', time: '11:00', capacity: 3 });
    const res = await h.client.book(
      { cookie: person.cookie },
      { slotId: slot, priority: { category: 'disability' } },
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PRIORITY_TERMINAL_ONLY');
  });

  it('Idempotency-Key: a repeated request gets the same answer and books once', async () => {
    const person = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-24', time: '12:00', capacity: 3 });
    const a = await h.client.book(
      { cookie: person.cookie, idempotencyKey: 'idem-key-0001' },
      { slotId: slot },
    );
    const b = await h.client.book(
      { cookie: person.cookie, idempotencyKey: 'idem-key-0001' },
      { slotId: slot },
    );
    expect(b.statusCode).toBe(201);
    expect(b.json()).toEqual(a.json());
    const other = await addSlot(h.ctx.db, { day: '2026-11-24', time: '12:30', capacity: 3 });
    const mismatch = await h.client.book(
      { cookie: person.cookie, idempotencyKey: 'idem-key-0001' },
      { slotId: other },
    );
    expect(mismatch.json().code).toBe('IDEMPOTENCY_MISMATCH');
    const count = await h.ctx.db
      .selectFrom('registrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('person_id', '=', person.personId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('numbers regular registrations from 1000 per center and day; the email confirmation goes to the outbox', async () => {
    const p1 = await citizenCookie(h.app, { rnokpp: nextPerson(), email: 'first@example.com' });
    const slot = await addSlot(h.ctx.db, { day: '2026-12-07', time: '09:00', capacity: 3 });
    const other = await addSlot(h.ctx.db, {
      day: '2026-12-07',
      time: '09:00',
      capacity: 3,
      center: OTHER_CENTER,
    });
    const p2 = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const p3 = await citizenCookie(h.app, { rnokpp: nextPerson() });
    expect((await h.client.book({ cookie: p2.cookie }, { slotId: slot })).json().number).toBe(1000);
    expect((await h.client.book({ cookie: p3.cookie }, { slotId: slot })).json().number).toBe(1001);
    const reg = (await h.client.book({ cookie: p1.cookie }, { slotId: other })).json();
    expect(reg.number).toBe(1000);
    const mail = await h.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', `registration_confirmed:${reg.id}`)
      .executeTakeFirstOrThrow();
    expect(mail).toMatchObject({
      recipient: 'first@example.com',
      template: 'registration_confirmed',
      status: 'pending',
    });
  });

  it('slots: lists free online places with the places left, hides full and terminal ones', async () => {
    const day = '2026-12-08';
    const a = await addSlot(h.ctx.db, { day, time: '09:00', capacity: 2 });
    await addSlot(h.ctx.db, { day, time: '09:30', capacity: 0 });
    await addSlot(h.ctx.db, { day, time: '10:00', capacity: 5, pool: 'terminal' });
    const person = await citizenCookie(h.app, { rnokpp: nextPerson() });
    await h.client.book({ cookie: person.cookie }, { slotId: a });
    const res = await h.app.inject({
      url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${day}`,
    });
    expect(res.json()).toEqual([
      { id: a, startsAt: '2026-12-08T07:00:00.000Z', endsAt: '2026-12-08T07:30:00.000Z', free: 1 },
    ]);
  });

  it('slots: a day not yet released shows nothing', async () => {
    const day = '2026-12-09';
    await addSlot(h.ctx.db, {
      day,
      time: '09:00',
      capacity: 2,
      center: OTHER_CENTER,
      releasedAt: new Date('2026-12-01T04:00:00Z'),
    });
    const res = await h.app.inject({
      url: `/api/v1/centers/${OTHER_CENTER}/slots?service=${SERVICE.vehicle}&date=${day}`,
    });
    expect(res.json()).toEqual([]);
  });

  it('availability: free online places per day over the horizon, for the calendar', async () => {
    await addSlot(h.ctx.db, { day: '2026-12-10', time: '09:00', capacity: 2, center: OTHER_CENTER });
    await addSlot(h.ctx.db, { day: '2026-12-10', time: '10:00', capacity: 3, center: OTHER_CENTER });
    await addSlot(h.ctx.db, {
      day: '2026-12-11',
      time: '10:00',
      capacity: 4,
      center: OTHER_CENTER,
      pool: 'terminal',
    });
    const res = await h.app.inject({
      url: `/api/v1/centers/${OTHER_CENTER}/availability?service=${SERVICE.vehicle}`,
    });
    const body = res.json();
    expect(body).toMatchObject({ from: '2026-11-24', to: '2026-12-14' });
    expect(body.days).toHaveLength(21);
    expect(body.days.find((d: { date: string }) => d.date === '2026-12-10').free).toBe(5);
    expect(body.days.find((d: { date: string }) => d.date === '2026-12-11').free).toBe(0);
  });
});
