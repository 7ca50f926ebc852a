import { describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE } from '../support/fixtures.js';
import { citizenCookie, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { hallFixture, kiosk, onlineToday, TODAY } from './hall-support.js';

// The harness clock: 2026-11-23T07:00Z = 09:00 Kyiv, a Monday.
describe.each(testDatabases())('terminal registration on %s', (kind) => {
  let h: Harness;
  let term: string;
  hallFixture(kind, (hall) => ({ h, term } = hall));

  it('terminal: same day, the earliest terminal slot with a place; call time is its start', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal' }); // ended at 09:00
    const full = await addSlot(h.ctx.db, { day: TODAY, time: '09:30', capacity: 0, pool: 'terminal' });
    const later = await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 1, pool: 'terminal' });
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'online' });
    await addSlot(h.ctx.db, { day: '2026-11-24', time: '09:00', capacity: 5, pool: 'terminal' });
    const res = await kiosk(h.app, term, { seed: 1 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      number: 1000,
      callTime: '2026-11-23T09:00:00.000Z',
      priority: null,
      center: { id: CENTER, name: 'ТСЦ МВС № 8041' },
      service: { id: SERVICE.vehicle, name: 'Реєстрація транспортного засобу' },
      desks: [1, 2],
      peopleAhead: 0,
    });
    const reg = await h.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(reg).toMatchObject({ channel: 'terminal', day: TODAY, slot_id: later, status: 'booked' });
    const slots = await h.ctx.db
      .selectFrom('slots')
      .select(['id', 'booked'])
      .where('id', 'in', [full, later, online])
      .orderBy('id')
      .execute();
    expect(slots.map((s) => s.booked)).toEqual([0, 1, 0]);
    // The last terminal place is gone: the next visitor is told so.
    const again = await kiosk(h.app, term, { seed: 2 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SLOT_TAKEN');
  });

  it('terminal: a slot that has already begun is called now', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:45', capacity: 2, pool: 'terminal', minutes: 30 });
    const res = await kiosk(h.app, term, { seed: 1 });
    expect(res.statusCode).toBe(201);
    expect(res.json().callTime).toBe('2026-11-23T07:00:00.000Z');
  });

  it('rule 5: numbers from 1000 per center and day shared with online, priority from 1', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    const onlineSlot = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'online' });
    const o = await onlineToday(h, onlineSlot, 1);
    expect(o.number).toBe(1000);
    const a = await kiosk(h.app, term, { seed: 1 });
    const p1 = await kiosk(h.app, term, {
      seed: 2,
      priority: { category: 'disability', document: { type: 'посвідчення', number: 'АА123456' } },
    });
    const b = await kiosk(h.app, term, { seed: 3 });
    const p2 = await kiosk(h.app, term, {
      seed: 4,
      priority: { category: 'fallen_defender_family', document: { type: 'посвідчення', number: 'ББ1' } },
    });
    expect([a, p1, b, p2].map((r) => r.json().number)).toEqual([1001, 1, 1002, 2]);
    expect(p1.json().priority).toBe('disability');
  });

  it('rule 5: priority takes no terminal place, is called now, its document is stored encrypted with a keyed hash', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 0, pool: 'terminal' });
    const res = await kiosk(h.app, term, {
      seed: 1,
      priority: {
        category: 'disability',
        document: { type: 'посвідчення особи з інвалідністю', number: 'АБ 654321' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().callTime).toBe('2026-11-23T07:00:00.000Z');
    const reg = await h.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(reg.slot_id).toBeNull();
    expect(reg.priority_doc_type).toBe('посвідчення особи з інвалідністю');
    expect(reg.priority_doc_enc).not.toContain('654321');
    expect(h.ctx.crypto.decrypt(reg.priority_doc_enc ?? '')).toBe('АБ 654321');
    expect(reg.priority_doc_hash).toBe(
      h.ctx.crypto.hash('priority:посвідчення особи з інвалідністю', 'АБ 654321'),
    );
  });

  it('rule 5: priority at most once per working day per service', async () => {
    const prio = { category: 'disability', document: { type: 'посвідчення', number: '1' } };
    expect((await kiosk(h.app, term, { seed: 1, priority: prio })).statusCode).toBe(201);
    const twice = await kiosk(h.app, term, { seed: 1, priority: prio });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'LIMIT_REACHED', rule: 'priority_once_per_day' });
    // Another service the same day is allowed; so is the same service the next day.
    expect((await kiosk(h.app, term, { seed: 1, priority: prio, service: SERVICE.licence })).statusCode).toBe(
      201,
    );
    h.clock.set('2026-11-24T07:00:00Z');
    term = await staffCookie(h.app, 'terminal', CENTER);
    expect((await kiosk(h.app, term, { seed: 1, priority: prio })).statusCode).toBe(201);
  });

  it('rule 5c: the military category only while martial law is on; the national admin switches it', async () => {
    const prio = { category: 'military', document: { type: 'військовий квиток', number: 'ВК100' } };
    const admin = await staffCookie(h.app, 'national_admin');
    const head = await staffCookie(h.app, 'center_head', CENTER);
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: '/api/v1/admin/settings/martial-law',
          headers: { cookie: admin },
        })
      ).json(),
    ).toEqual({ active: true });
    expect((await kiosk(h.app, term, { seed: 1, priority: prio })).statusCode).toBe(201);
    const denied = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/settings/martial-law',
      headers: { cookie: head },
      payload: { active: false },
    });
    expect(denied.statusCode).toBe(403);
    const off = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/settings/martial-law',
      headers: { cookie: admin },
      payload: { active: false },
    });
    expect(off.json()).toEqual({ active: false });
    const refused = await kiosk(h.app, term, { seed: 2, priority: prio });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('VALIDATION');
    expect(
      (await kiosk(h.app, term, { seed: 3, priority: { ...prio, category: 'disability' } })).statusCode,
    ).toBe(201);
  });

  it('rule 1: a person holds at most 4 terminal registrations a month', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    for (let i = 0; i < 4; i++) expect((await kiosk(h.app, term, { seed: 1 })).statusCode).toBe(201);
    const fifth = await kiosk(h.app, term, { seed: 1 });
    expect(fifth.statusCode).toBe(409);
    expect(fifth.json()).toMatchObject({
      code: 'LIMIT_REACHED',
      detail: 'За вказаними даними Заявника перевищено ліміт записів',
    });
    // The refused attempt took no place.
    const slot = await h.ctx.db.selectFrom('slots').select('booked').executeTakeFirstOrThrow();
    expect(slot.booked).toBe(4);
  });

  it('rule 1: a legal entity holds at most 6 terminal registrations a day', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    const legalEntity = { edrpou: '00032129', name: 'ТОВ Тест' };
    for (let i = 0; i < 6; i++)
      expect((await kiosk(h.app, term, { seed: i, legalEntity })).statusCode).toBe(201);
    const seventh = await kiosk(h.app, term, { seed: 7, legalEntity });
    expect(seventh.json().code).toBe('LIMIT_REACHED');
  });

  it('rule 4: a blocked person gets BLOCKED at the terminal', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    const { personId } = await citizenCookie(h.app, { rnokpp: rnokpp(5001) });
    await h.ctx.db
      .updateTable('persons')
      .set({ blocked_until: new Date('2026-12-10T00:00:00Z') })
      .where('id', '=', personId)
      .execute();
    const res = await kiosk(h.app, term, { seed: 1 });
    expect(res.statusCode).toBe(403);
    // Anyone can type anyone's number at a kiosk: it says "blocked", never until when.
    expect(res.json().code).toBe('BLOCKED');
    expect(res.json().blockedUntil).toBeUndefined();
  });

  it('terminal: identifiers are validated (РНОКПП checksum, passport format, +380 phone, email required)', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    const bad = async (person: Record<string, unknown>) => {
      const res = await kiosk(h.app, term, { seed: 1, person });
      expect(res.statusCode, JSON.stringify(person)).toBe(400);
      return res.json();
    };
    expect((await bad({ rnokpp: '1234567890' })).errors[0].field).toBe('body.person.rnokpp');
    expect((await bad({ rnokpp: null, passport: 'AB12' })).errors[0].field).toBe('body.person.passport');
    expect((await bad({ rnokpp: null })).errors[0].field).toBe('body.person.rnokpp');
    expect((await bad({ phone: '12345' })).errors[0].field).toBe('body.person.phone');
    expect((await bad({ email: 'not-an-email' })).errors[0].field).toBe('body.person.email');
    await bad({ email: undefined });
    const passport = await kiosk(h.app, term, { seed: 2, person: { rnokpp: null, passport: 'ка 123456' } });
    expect(passport.statusCode).toBe(201);
    const p = await h.ctx.db
      .selectFrom('persons')
      .selectAll()
      .where('id_kind', '=', 'passport')
      .executeTakeFirstOrThrow();
    expect(p.id_enc).not.toContain('123456');
    expect(p.id_hash).toBe(h.ctx.crypto.hash('passport', 'КА123456'));
  });

  it('terminal: typing an identified citizen’s РНОКПП neither renames them nor redirects their e-mail', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    // seed 1 → РНОКПП rnokpp(5001): the citizen identified electronically first.
    const { personId } = await citizenCookie(h.app, {
      rnokpp: rnokpp(5001),
      lastName: 'Шевченко',
      firstName: 'Тарас',
      email: 'taras@example.com',
    });
    await h.ctx.db.updateTable('persons').set({ phone: null }).where('id', '=', personId).execute();
    const res = await kiosk(h.app, term, {
      seed: 1,
      person: {
        lastName: 'Підробний',
        firstName: 'Хтось',
        email: 'thief@example.com',
        phone: '+380671112233',
      },
    });
    expect(res.statusCode).toBe(201);
    const person = await h.ctx.db
      .selectFrom('persons')
      .selectAll()
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ last_name: 'Шевченко', first_name: 'Тарас', email: 'taras@example.com' });
    // Nothing is filled in either: the typed contact stays with the registration and its ticket.
    expect(person.phone).toBeNull();
    const mail = await h.ctx.db.selectFrom('outbox').select('recipient').execute();
    expect(mail).toEqual([{ recipient: 'thief@example.com' }]);
  });

  it('terminal: the ticket goes by email through the outbox and the registration is audited', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    const res = await kiosk(h.app, term, { seed: 1 });
    const { id } = res.json();
    const mail = await h.ctx.db.selectFrom('outbox').selectAll().execute();
    expect(mail).toEqual([
      expect.objectContaining({
        template: 'terminal_ticket',
        recipient: 'guest1@example.com',
        payload: { registrationId: id, number: 1000, callTime: '2026-11-23T08:00:00.000Z', centerId: CENTER },
      }),
    ]);
    const trail = await h.ctx.db.selectFrom('audit_log').selectAll().where('subject_id', '=', id).execute();
    expect(trail).toEqual([
      expect.objectContaining({ action: 'registration.booked', actor_kind: 'terminal', center_id: CENTER }),
    ]);
    expect(JSON.stringify(trail)).not.toContain(rnokpp(5001));
  });

  it('terminal: only the terminal and staff of that center may register; citizens may not', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 10, pool: 'terminal' });
    const otherTerminal = await staffCookie(h.app, 'terminal', OTHER_CENTER);
    expect((await kiosk(h.app, otherTerminal, { seed: 1 })).statusCode).toBe(403);
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(1) });
    expect((await kiosk(h.app, cookie, { seed: 1 })).statusCode).toBe(403);
    expect((await kiosk(h.app, '', { seed: 1 })).statusCode).toBe(401);
    const operator = await staffCookie(h.app, 'operator', CENTER);
    expect((await kiosk(h.app, operator, { seed: 2 })).statusCode).toBe(201);
    const head = await staffCookie(h.app, 'center_head', CENTER);
    expect((await kiosk(h.app, head, { seed: 3 })).statusCode).toBe(201);
  });

  it('terminal: a priority registration online is refused with PRIORITY_TERMINAL_ONLY', async () => {
    const slotId = await addSlot(h.ctx.db, {
      day: '2026-11-25',
      time: '10:00',
      capacity: 2,
      group: GROUP.vehicle,
    });
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(2) });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie },
      payload: { slotId, serviceId: SERVICE.vehicle, priority: { category: 'disability' } },
    });
    expect(res.json().code).toBe('PRIORITY_TERMINAL_ONLY');
  });
});
