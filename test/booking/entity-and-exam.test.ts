import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSlot,
  CENTER,
  declareExams,
  GROUP,
  OTHER_CENTER,
  SERVICE,
  seedCatalog,
} from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

const NOW = '2026-11-23T07:00:00Z';
const ENTITY = { edrpou: '14360570', name: 'ТОВ «Автолюкс-Київ»' };

describe.each(testDatabases())('legal entities and exam categories (SPEC §2) on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedCatalog(h.ctx.db);
    await declareExams(h.ctx.db, { [CENTER]: { B: 1 } });
  });
  afterAll(() => h.close());

  it('SPEC §2: a signer carrying an ЄДРПОУ sees the entity limits in /me; a person without one does not', async () => {
    const signer = await citizenCookie(h.app, { rnokpp: rnokpp(9101), legalEntity: ENTITY });
    const me = (await h.app.inject({ url: '/api/v1/me', headers: { cookie: signer.cookie } })).json();
    expect(me.entityLimits).toMatchObject({
      edrpou: ENTITY.edrpou,
      online: { perDay: 4 },
      terminal: { perDay: 6 },
    });
    const plain = await citizenCookie(h.app, { rnokpp: rnokpp(9102) });
    expect(
      (await h.app.inject({ url: '/api/v1/me', headers: { cookie: plain.cookie } })).json().entityLimits,
    ).toBeNull();
  });

  it('SPEC §2: a booking for the entity counts against the entity, never the person; mail and "my registrations" name it', async () => {
    const signer = await citizenCookie(h.app, {
      rnokpp: rnokpp(9103),
      legalEntity: ENTITY,
      email: 'signer@example.com',
    });
    const slot = await addSlot(h.ctx.db, { day: '2026-11-26', time: '09:00', capacity: 5 });
    const res = await h.client.book({ cookie: signer.cookie }, { slotId: slot, legalEntity: ENTITY });
    expect(res.statusCode).toBe(201);
    const me = (await h.app.inject({ url: '/api/v1/me', headers: { cookie: signer.cookie } })).json();
    expect(me.limits.online.used).toBe(0);
    expect(me.entityLimits.usedOnline).toEqual([{ day: '2026-11-26', used: 1 }]);
    const mine = (
      await h.app.inject({ url: '/api/v1/me/bookings', headers: { cookie: signer.cookie } })
    ).json();
    expect(mine[0]).toMatchObject({ legalEntity: ENTITY.edrpou, legalEntityName: ENTITY.name });
    const { renderDelivery } = await import('../../src/notify/message-renderer.js');
    const row = await h.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', 'signer@example.com')
      .executeTakeFirstOrThrow();
    const mail = await renderDelivery(
      h.ctx.db,
      row as never,
      {
        crypto: h.ctx.crypto,
        portalUrl: 'https://e-zapys.test',
        cancelBeforeMinutes: 120,
        feedbackTtlDays: 30,
      },
      h.clock.now(),
    );
    if (mail.kind !== 'email') throw new Error('expected an email');
    expect(mail.message.text).toContain(`${ENTITY.name} (ЄДРПОУ ${ENTITY.edrpou})`);
  });

  it('SPEC §2 Exams: GET /centers?service=&category= lists only the centers that examine the category', async () => {
    const b = (await h.app.inject({ url: `/api/v1/centers?service=${SERVICE.practical}&category=B` })).json();
    expect(b.map((c: { id: string }) => c.id)).toEqual([CENTER]);
    const c = (await h.app.inject({ url: `/api/v1/centers?service=${SERVICE.practical}&category=C` })).json();
    expect(c).toEqual([]);
    const all = (await h.app.inject({ url: '/api/v1/centers' })).json();
    expect(all.find((x: { id: string }) => x.id === OTHER_CENTER).examCategories).toEqual([]);
    const wrong = await h.app.inject({ url: `/api/v1/centers?service=${SERVICE.practical}&category=D` });
    expect(wrong.json().code).toBe('VALIDATION');
  });

  it('SPEC §2 Exams: a practical exam needs a category the center examines; it is recorded on the registration', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(9104) });
    const slot = await addSlot(h.ctx.db, {
      group: GROUP.practical,
      day: '2026-11-27',
      time: '10:00',
      capacity: 3,
    });
    const book = (examCategory?: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie: p.cookie },
        payload: { slotId: slot, serviceId: SERVICE.practical, ...(examCategory ? { examCategory } : {}) },
      });
    expect((await book()).json().code).toBe('VALIDATION');
    // C is a category of the exam, but this center has no C car.
    expect((await book('C')).json().code).toBe('VALIDATION');
    const ok = await book('B');
    expect(ok.statusCode).toBe(201);
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select('exam_category')
      .where('id', '=', ok.json().id)
      .executeTakeFirstOrThrow();
    expect(row.exam_category).toBe('B');
    const s = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(s.booked).toBe(1);
  });
});
