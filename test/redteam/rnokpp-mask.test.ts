import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Bypass: the РНОКПП mask showed the last 4 digits (the control digit among them) while digits
 * 1–5 encode the birth date, so with a birth date the whole number fell in one or two guesses;
 * `persons.id_last4` kept those digits in clear. Now at most the last 2 are shown, derived from
 * the encrypted value when read, and no column holds any of them in clear.
 */
describe.each(testDatabases())('red team: the РНОКПП mask, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-23T07:00:00Z' });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('GET /me shows at most the last 2 digits of the РНОКПП, and of a passport', async () => {
    const id = rnokpp(53001);
    const me = await citizenCookie(h.app, { rnokpp: id });
    const res = await h.app.inject({ url: '/api/v1/me', headers: { cookie: me.cookie } });
    expect(res.json().rnokpp).toBe(`********${id.slice(-2)}`);

    const holder = await citizenCookie(h.app, { passport: 'КВ 123456' });
    const p = await h.app.inject({ url: '/api/v1/me', headers: { cookie: holder.cookie } });
    expect(p.json().passport).toBe('******56');
  });

  it("the operator's view of a called ticket shows at most the last 2 digits", async () => {
    await addSlot(h.ctx.db, { day: '2026-11-23', time: '09:00', capacity: 5, pool: 'terminal' });
    const terminal = await staffCookie(h.app, 'terminal', CENTER);
    const id = rnokpp(53002);
    const reg = await h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: terminal },
      payload: {
        serviceId: SERVICE.vehicle,
        person: { lastName: 'Бойко', firstName: 'Ніна', rnokpp: id, email: 'nina@example.com' },
      },
    });
    expect(reg.statusCode).toBe(201);
    const operator = await staffCookie(h.app, 'operator', CENTER, `${CENTER}-d1`);
    const called = await h.app.inject({
      method: 'POST',
      url: `/api/v1/desks/${CENTER}-d1/call-next`,
      headers: { cookie: operator },
    });
    expect(called.statusCode).toBe(200);
    const shown = JSON.stringify(called.json());
    expect(called.json().person.idMasked).toBe(`********${id.slice(-2)}`);
    expect(shown).not.toContain(id.slice(-4));
  });

  it('no persons column keeps digits of the identifier in clear (id_last4 is gone)', async () => {
    const columns = await sql<{ name: string }>`
      SELECT column_name AS name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = 'persons'`.execute(h.ctx.db);
    const names = columns.rows.map((c) => c.name);
    expect(names).toContain('id_enc');
    expect(names.filter((n) => /^id_(?!hash$|kind$|enc$)|mask|suffix|last\d/.test(n))).toEqual([]);
  });
});
