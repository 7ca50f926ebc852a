import { beforeEach, describe, expect, it } from 'vitest';
import { edrpouControlDigit } from '../../src/identity/identifiers.js';
import { addSlot, CENTER, GROUP, SERVICE } from '../support/fixtures.js';
import { type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { callNext, DESK, hallFixture, kiosk, outcome, TODAY } from './hall-support.js';

/**
 * SPEC §2 at the kiosk: a legal entity's representative registers with the entity's ЄДРПОУ and
 * name (rule 1: 6 a day for the entity, never the representative's own month), and a practical
 * exam is registered for a vehicle category the center examines, checked as online.
 */
const edrpou = (first7: string) => first7 + String(edrpouControlDigit(`${first7}0`));
const ENTITY = { edrpou: '14360570', name: 'ТОВ «АВТОЛЮКС-КИЇВ»' };

describe.each(testDatabases())('kiosk: legal entities and exam categories (SPEC §2) on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  hallFixture(kind, (hall) => ({ h, term, op } = hall));

  beforeEach(async () => {
    // The practical exam has categories B and C; this center has a car for B only.
    await h.ctx.db
      .updateTable('services')
      .set({ exam_categories: ['B', 'C'] })
      .where('id', '=', SERVICE.practical)
      .execute();
    await h.ctx.db
      .insertInto('center_exam_categories')
      .values({ center_id: CENTER, category: 'B' })
      .onConflict((oc) => oc.doNothing())
      .execute();
  });

  const registrationOf = (id: string) =>
    h.ctx.db
      .selectFrom('registrations')
      .select(['legal_entity', 'exam_category', 'channel'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('§2 legal entities: the kiosk registers for the entity; 6 a day count against the entity, never the representative; the ticket names it', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 20, pool: 'terminal' });
    // One representative, six registrations for the entity: past the person's 4 a month.
    for (let i = 0; i < 6; i++) {
      const res = await kiosk(h.app, term, { seed: 1, legalEntity: ENTITY });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().legalEntity).toEqual(ENTITY);
      expect(await registrationOf(res.json().id)).toMatchObject({
        legal_entity: ENTITY.edrpou,
        channel: 'terminal',
      });
    }
    // The seventh for the entity today is refused, whoever brings it.
    const seventh = await kiosk(h.app, term, { seed: 2, legalEntity: ENTITY });
    expect(seventh.statusCode).toBe(409);
    expect(seventh.json()).toMatchObject({
      code: 'LIMIT_REACHED',
      detail: 'За вказаними даними Заявника перевищено ліміт записів',
    });
    // The limit is the entity's: another entity and the representative's own registration pass.
    const other = await kiosk(h.app, term, {
      seed: 1,
      legalEntity: { edrpou: edrpou('3765432'), name: 'ФОП ІНША' },
    });
    expect(other.statusCode).toBe(201);
    const own = await kiosk(h.app, term, { seed: 1 });
    expect(own.statusCode).toBe(201);
    expect(own.json().legalEntity).toBeNull();
    const units = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('pool', '=', 'terminal')
      .executeTakeFirstOrThrow();
    expect(units.booked).toBe(8);
  });

  it('§2 legal entities: the entity limit is per day (a new day, six again)', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 20, pool: 'terminal' });
    await addSlot(h.ctx.db, { day: '2026-11-24', time: '10:00', capacity: 20, pool: 'terminal' });
    for (let i = 0; i < 6; i++)
      expect((await kiosk(h.app, term, { seed: i, legalEntity: ENTITY })).statusCode).toBe(201);
    expect((await kiosk(h.app, term, { seed: 9, legalEntity: ENTITY })).json().code).toBe('LIMIT_REACHED');
    h.clock.set('2026-11-24T07:00:00Z');
    const tomorrow = await staffCookie(h.app, 'terminal', CENTER); // a new day, a new kiosk session
    for (let i = 0; i < 6; i++)
      expect((await kiosk(h.app, tomorrow, { seed: 10 + i, legalEntity: ENTITY })).statusCode).toBe(201);
    expect((await kiosk(h.app, tomorrow, { seed: 19, legalEntity: ENTITY })).json().code).toBe(
      'LIMIT_REACHED',
    );
  });

  it('§2 legal entities: an ЄДРПОУ with a wrong control digit is refused on its field, nothing written', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'terminal' });
    const good = edrpou('1436057');
    const bad = good.slice(0, 7) + String((Number(good[7]) + 1) % 10);
    const res = await kiosk(h.app, term, { seed: 1, legalEntity: { edrpou: bad, name: 'ТОВ ТЕСТ' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.legalEntity.edrpou');
    const short = await kiosk(h.app, term, { seed: 1, legalEntity: { edrpou: '1234567', name: 'ТОВ ТЕСТ' } });
    expect(short.statusCode).toBe(400);
    const noName = await kiosk(h.app, term, { seed: 1, legalEntity: { edrpou: good, name: ' ' } });
    expect(noName.statusCode).toBe(400);
    expect(await h.ctx.db.selectFrom('registrations').select('id').execute()).toEqual([]);
    expect(await h.ctx.db.selectFrom('legal_entities').select('edrpou').execute()).toEqual([]);
  });

  it('§2 legal entities: a kiosk never renames a known entity; the ticket shows the name it is registered under', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'terminal' });
    await h.ctx.db
      .insertInto('legal_entities')
      .values({ edrpou: ENTITY.edrpou, name: ENTITY.name, created_at: new Date() })
      .execute();
    const res = await kiosk(h.app, term, {
      seed: 1,
      legalEntity: { edrpou: ENTITY.edrpou, name: 'ТОВ "ПІДРОБКА"' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().legalEntity).toEqual(ENTITY);
    const row = await h.ctx.db
      .selectFrom('legal_entities')
      .select('name')
      .where('edrpou', '=', ENTITY.edrpou)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe(ENTITY.name);
  });

  it('§2 exams: a practical exam at the kiosk needs a category the center examines; it is recorded and on the ticket', async () => {
    const slot = await addSlot(h.ctx.db, {
      group: GROUP.practical,
      day: TODAY,
      time: '10:00',
      capacity: 3,
      pool: 'terminal',
    });
    const exam = (examCategory?: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/centers/${CENTER}/terminal/registrations`,
        headers: { cookie: term },
        payload: {
          serviceId: SERVICE.practical,
          person: {
            lastName: 'Коваленко',
            firstName: 'Іван',
            rnokpp: rnokpp(7070),
            email: 'ivan@example.com',
          },
          ...(examCategory ? { examCategory } : {}),
        },
      });
    const none = await exam();
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.examCategory' }] });
    // C is a category of the exam, but this center has no C car; D is no category of it.
    for (const c of ['C', 'D']) {
      const res = await exam(c);
      expect(res.statusCode, c).toBe(400);
      expect(res.json().errors[0].field).toBe('body.examCategory');
    }
    expect((await exam('b')).statusCode).toBe(400); // the schema's shape, as online
    const ok = await exam('B');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().examCategory).toBe('B');
    expect(await registrationOf(ok.json().id)).toMatchObject({ exam_category: 'B', channel: 'terminal' });
    // The refused attempts took no place and wrote no registration.
    const s = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(s.booked).toBe(1);
    expect(await h.ctx.db.selectFrom('registrations').select('id').execute()).toHaveLength(1);
  });

  it('rule 9: after a failed practical exam the kiosk registers the same exam only 10 days later, and never says when', async () => {
    // Today's place has begun (due now, so the examiner's desk calls it); later days' at 10:00.
    await addSlot(h.ctx.db, {
      group: GROUP.practical,
      day: TODAY,
      time: '08:30',
      minutes: 60,
      capacity: 3,
      pool: 'terminal',
    });
    for (const day of ['2026-11-24', '2026-12-03'])
      await addSlot(h.ctx.db, { group: GROUP.practical, day, time: '10:00', capacity: 3, pool: 'terminal' });
    const exam = (cookie: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/centers/${CENTER}/terminal/registrations`,
        headers: { cookie },
        payload: {
          serviceId: SERVICE.practical,
          examCategory: 'B',
          person: {
            lastName: 'Коваленко',
            firstName: 'Іван',
            rnokpp: rnokpp(7171),
            email: 'ivan@example.com',
          },
        },
      });
    const first = await exam(term);
    expect(first.statusCode, first.body).toBe(201);
    // The examiner calls the candidate and records a fail.
    expect((await callNext(h.app, op, DESK.d3)).statusCode).toBe(200);
    expect((await outcome(h.app, op, first.json().id, 'served', false)).statusCode).toBe(200);
    h.clock.set('2026-11-24T07:00:00Z');
    const tooSoon = await exam(await staffCookie(h.app, 'terminal', CENTER));
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.json().code).toBe('EXAM_RETRY_TOO_SOON');
    // Anyone can type anyone's РНОКПП at a kiosk: no date that tells when the person failed.
    expect(tooSoon.json().earliest).toBeUndefined();
    expect(tooSoon.body).not.toMatch(/2026|грудня|листопада/);
    h.clock.set('2026-12-03T07:00:00Z');
    const later = await exam(await staffCookie(h.app, 'terminal', CENTER));
    expect(later.statusCode, later.body).toBe(201);
  });

  it('§2 exams: a service without categories takes none at the kiosk', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 3, pool: 'terminal' });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: term },
      payload: {
        serviceId: SERVICE.vehicle,
        examCategory: 'B',
        person: { lastName: 'Коваленко', firstName: 'Іван', rnokpp: rnokpp(7070), email: 'ivan@example.com' },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.examCategory');
    const plain = await kiosk(h.app, term, { seed: 3 });
    expect(plain.statusCode).toBe(201);
    expect(plain.json().examCategory).toBeNull();
  });
});
