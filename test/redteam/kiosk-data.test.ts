import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { edrpouControlDigit } from '../../src/identity/identifiers.js';
import { loadRegistration } from '../../src/notify/message-store.js';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Bypass: what anyone types at a kiosk reached other people's files. A victim without an e-mail
 * on file got the attacker's, so their next confirmation (name, time, ticket) went to the
 * attacker; any ЄДРПОУ typed renamed that legal entity; a person blocked by РНОКПП registered at
 * once with their passport; any РНОКПП typed told whether it was blocked and until when.
 */
const edrpou = (first7: string) => first7 + String(edrpouControlDigit(`${first7}0`));

describe.each(testDatabases())('red team: kiosk data, on %s', (kind) => {
  let h: Harness;
  let terminal: string;
  let online: number;
  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-23T07:00:00Z' });
    await seedCatalog(h.ctx.db);
    await addSlot(h.ctx.db, { day: '2026-11-23', time: '09:00', capacity: 50, pool: 'terminal' });
    online = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 50 });
  });
  beforeEach(async () => {
    terminal = await staffCookie(h.app, 'terminal', CENTER);
  });
  afterAll(() => h.close());

  const kiosk = (person: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: terminal },
      payload: {
        serviceId: SERVICE.vehicle,
        person: { lastName: 'Підставний', firstName: 'Петро', email: 'attacker@evil.example', ...person },
        ...extra,
      },
    });

  it("a kiosk never puts its e-mail or phone into an identified person's file; it stays with that registration", async () => {
    const id = rnokpp(54001);
    const victim = await citizenCookie(h.app, { rnokpp: id, email: undefined });
    const res = await kiosk({ rnokpp: id, phone: '+380671112233' });
    expect(res.statusCode).toBe(201);

    const person = await h.ctx.db
      .selectFrom('persons')
      .select(['email', 'phone', 'last_name'])
      .where('id', '=', victim.personId)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ email: null, phone: null, last_name: 'Шевченко' });
    const reg = await h.ctx.db
      .selectFrom('registrations')
      .select(['contact_email', 'contact_phone', 'person_id'])
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(reg).toEqual({
      contact_email: 'attacker@evil.example',
      contact_phone: '+380671112233',
      person_id: victim.personId,
    });

    // The victim's own next booking is never announced to the attacker.
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie: victim.cookie },
      payload: { slotId: online, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);
    const toAttacker = await h.ctx.db
      .selectFrom('outbox')
      .select(['template', 'payload'])
      .where('recipient', '=', 'attacker@evil.example')
      .execute();
    expect(toAttacker.map((m) => m.template)).toEqual(['terminal_ticket']);
  });

  it("later messages about a kiosk registration (delays, SMS) use its own contact, not the person's file", async () => {
    const id = rnokpp(54007);
    const owner = await citizenCookie(h.app, { rnokpp: id, email: 'owner@example.com' });
    const res = await kiosk({ rnokpp: id, email: 'visitor@example.com', phone: '+380671112244' });
    expect(res.statusCode).toBe(201);
    const view = await loadRegistration(h.ctx.db, res.json().id);
    expect(view?.person).toMatchObject({
      id: owner.personId,
      email: 'visitor@example.com',
      phone: '+380671112244',
    });
  });

  it('a person first seen at a kiosk gets no kiosk contact in their file either', async () => {
    const id = rnokpp(54002);
    expect((await kiosk({ rnokpp: id })).statusCode).toBe(201);
    // The real person then signs in without an e-mail at the provider.
    const real = await citizenCookie(h.app, { rnokpp: id, email: undefined });
    const person = await h.ctx.db
      .selectFrom('persons')
      .select(['email', 'phone'])
      .where('id', '=', real.personId)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ email: null, phone: null });
  });

  it('an ЄДРПОУ typed at a kiosk never renames the legal entity', async () => {
    const code = edrpou('3765432');
    await h.ctx.db
      .insertInto('legal_entities')
      .values({ edrpou: code, name: 'ТОВ "Справжня"', created_at: new Date() })
      .onConflict((oc) => oc.column('edrpou').doNothing())
      .execute();
    const res = await kiosk(
      { rnokpp: rnokpp(54004) },
      { legalEntity: { edrpou: code, name: 'ТОВ "Підробка"' } },
    );
    expect(res.statusCode).toBe(201);
    const entity = await h.ctx.db
      .selectFrom('legal_entities')
      .select('name')
      .where('edrpou', '=', code)
      .executeTakeFirstOrThrow();
    expect(entity.name).toBe('ТОВ "Справжня"');
  });

  it('a person blocked by РНОКПП cannot register at a kiosk with their passport (both known)', async () => {
    const id = rnokpp(54005);
    const person = await citizenCookie(h.app, { rnokpp: id, passport: 'МК 765432' });
    await h.ctx.db
      .updateTable('persons')
      .set({ blocked_until: new Date('2026-12-20T00:00:00Z'), blocked_at: new Date('2026-11-20T00:00:00Z') })
      .where('id', '=', person.personId)
      .execute();
    const res = await kiosk({ passport: 'МК765432', lastName: 'Шевченко', firstName: 'Тарас' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('BLOCKED');
    const byRnokpp = await kiosk({ rnokpp: id });
    expect(byRnokpp.json().code).toBe('BLOCKED');
  });

  it('the kiosk does not tell until when a typed number is blocked; the person sees it online', async () => {
    const id = rnokpp(54006);
    const person = await citizenCookie(h.app, { rnokpp: id });
    await h.ctx.db
      .updateTable('persons')
      .set({ blocked_until: new Date('2026-12-20T00:00:00Z'), blocked_at: new Date('2026-11-20T00:00:00Z') })
      .where('id', '=', person.personId)
      .execute();
    const res = await kiosk({ rnokpp: id });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('BLOCKED');
    expect(res.body).not.toMatch(/2026-12|blockedUntil|20\.12/);
    const me = await h.app.inject({ url: '/api/v1/me', headers: { cookie: person.cookie } });
    expect(me.json().blockedUntil).toBe('2026-12-20T00:00:00.000Z');
  });
});
