import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCenterInputs } from '../../src/capacity/capacity-store.js';
import { generateSlots } from '../../src/capacity/slot-rules.js';
import type { Db } from '../../src/platform/db.js';
import { CENTER, GROUP, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { seedRoster } from './capacity-support.js';

const slotsOf = (db: Db, center: string, day: string) =>
  db
    .selectFrom('slots')
    .select(['id', 'group_id', 'starts_at', 'ends_at', 'pool', 'capacity', 'booked'])
    .where('center_id', '=', center)
    .where('day', '=', day)
    .orderBy('group_id')
    .orderBy('starts_at')
    .orderBy('pool')
    .execute();

describe.each(testDatabases())('capacity on %s', (kind) => {
  let h: Harness;
  let head: string;
  // Sessions expire with the fixed clock moving on, so each test signs the head in afresh.
  beforeEach(async () => {
    head = await staffCookie(h.app, 'center_head', CENTER);
  });
  beforeAll(async () => {
    // Monday 2026-11-23, 05:59 Kyiv: one minute before the release of 2026-12-14.
    h = await createHarness(kind, { now: '2026-11-23T03:59:00Z' });
    await seedCatalog(h.ctx.db);
    await seedRoster(h.ctx.db);
  });
  afterAll(() => h.close());

  it('rule 8: the release job generates today … today+21 for every center, idempotent on parallel runs', async () => {
    const runs = await Promise.all([h.ctx.capacity.releaseDue(), h.ctx.capacity.releaseDue()]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(2 * 22);
    expect(await h.ctx.capacity.releaseDue()).toBe(0);
    const days = await h.ctx.db.selectFrom('capacity_days').select(['center_id', 'day']).execute();
    expect(days).toHaveLength(2 * 22);
    const dupes = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT center_id, group_id, starts_at, pool FROM slots
      GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d`.execute(h.ctx.db);
    expect(dupes.rows[0]?.n).toBe(0);
  });

  it('rule 8: generated days match the pure function (20 vehicle places, 14 online / 6 terminal)', async () => {
    const day = '2026-11-25';
    const inputs = await loadCenterInputs(h.ctx.db, CENTER, day, day);
    const expected = generateSlots({ ...(inputs as NonNullable<typeof inputs>), day }, { windowMinutes: 30 });
    const stored = await slotsOf(h.ctx.db, CENTER, day);
    const norm = (rows: Array<{ groupId: string; startsAt: Date; pool: string; capacity: number }>) =>
      rows.map((s) => `${s.groupId} ${s.startsAt.toISOString()} ${s.pool} ${s.capacity}`).sort();
    expect(
      norm(
        stored.map((s) => ({
          groupId: s.group_id,
          startsAt: new Date(s.starts_at),
          pool: s.pool,
          capacity: s.capacity,
        })),
      ),
    ).toEqual(norm(expected));
    const total = (group: string, pool: string) =>
      stored.filter((s) => s.group_id === group && s.pool === pool).reduce((a, s) => a + s.capacity, 0);
    expect([total(GROUP.vehicle, 'online'), total(GROUP.vehicle, 'terminal')]).toEqual([14, 6]);
    // The examiner's desk serves two groups: the day is shared (15/2 → 7 practical, 40/2 → 20 theory).
    expect(total(GROUP.practical, 'online') + total(GROUP.practical, 'terminal')).toBe(7);
    expect(total(GROUP.theory, 'online') + total(GROUP.theory, 'terminal')).toBe(20);
    expect(await slotsOf(h.ctx.db, CENTER, '2026-11-28')).toEqual([]); // Saturday: closed
  });

  it('rule 8: release at 06:00 Kyiv makes day D+21 visible in the slots API, and not before', async () => {
    const url = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-12-14`;
    h.clock.set('2026-11-23T03:59:59Z');
    expect((await h.app.inject({ url })).json()).toEqual([]);
    h.clock.set('2026-11-23T04:00:00Z');
    const open = (await h.app.inject({ url })).json() as Array<{ free: number }>;
    expect(open.reduce((a, s) => a + s.free, 0)).toBe(14);

    // The next morning the job adds D+22 before 06:00; it opens at 06:00 sharp.
    h.clock.set('2026-11-24T02:00:00Z');
    expect(await h.ctx.capacity.releaseDue()).toBe(2);
    const next = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-12-15`;
    h.clock.set('2026-11-24T03:59:59Z');
    expect((await h.app.inject({ url: next })).json()).toEqual([]);
    h.clock.set('2026-11-24T04:00:00Z');
    expect(((await h.app.inject({ url: next })).json() as unknown[]).length).toBeGreaterThan(0);
  });

  it('rule 8: regeneration after a holiday keeps the registration, lists the conflict and notifies', async () => {
    h.clock.set('2026-11-24T08:00:00Z');
    head = await staffCookie(h.app, 'center_head', CENTER);
    const day = '2026-11-26';
    const slots = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${day}` })
    ).json() as Array<{ id: number }>;
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(801), email: 'conflict@example.com' });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, 'idempotency-key': 'cap-conflict-1' },
      payload: { slotId: slots[0]?.id, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);
    const regId = (booked.json() as { id: string }).id;
    const before = await h.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', regId)
      .executeTakeFirstOrThrow();

    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/centers/${CENTER}/holidays`,
      headers: { cookie: head },
      payload: { day, name: 'Технічна перерва' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { conflicts: Array<{ registrationId: string; reason: string }> };
    expect(body.conflicts).toEqual([expect.objectContaining({ registrationId: regId, reason: 'holiday' })]);

    const after = await h.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', regId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const slot = await h.ctx.db
      .selectFrom('slots')
      .selectAll()
      .where('id', '=', before.slot_id as number)
      .executeTakeFirstOrThrow();
    expect([slot.capacity, slot.booked]).toEqual([1, 1]);
    expect(await h.ctx.booking.availability(CENTER, SERVICE.vehicle, day)).toEqual([]);

    const outbox = await h.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('template', '=', 'schedule_conflict')
      .execute();
    expect(outbox).toEqual([expect.objectContaining({ recipient: 'conflict@example.com' })]);
    expect(outbox[0]?.payload).toEqual({ registrationId: regId });
    const listed = await h.app.inject({
      url: `/api/v1/admin/centers/${CENTER}/capacity/conflicts`,
      headers: { cookie: head },
    });
    expect(listed.json()).toEqual([expect.objectContaining({ registrationId: regId, day })]);
    const audited = await h.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('center_id', '=', CENTER)
      .execute();
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['capacity.holiday_added', 'capacity.generated']),
    );

    // Regenerating again lists nothing new and notifies nobody twice.
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/centers/${CENTER}/capacity/regenerate`,
      headers: { cookie: head },
      payload: { from: day, to: day },
    });
    expect(again.statusCode).toBe(200);
    expect((again.json() as { conflicts: unknown[] }).conflicts).toEqual([]);
    expect(
      await h.ctx.db.selectFrom('outbox').select('id').where('template', '=', 'schedule_conflict').execute(),
    ).toHaveLength(1);
  });

  it('rule 8: a smaller roster never takes a held place away; a larger one adds places', async () => {
    const day = '2026-11-27';
    const url = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${day}`;
    const slots = (await h.app.inject({ url })).json() as Array<{ id: number }>;
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(802) });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, 'idempotency-key': 'cap-roster-1' },
      payload: { slotId: slots[0]?.id, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);

    const added = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/centers/${CENTER}/roster`,
      headers: { cookie: head },
      payload: { staffId: 'st-admin-1', deskId: `${CENTER}-d2`, weekdays: [5], validFrom: day, validTo: day },
    });
    expect(added.statusCode).toBe(201);
    const free = async () =>
      ((await h.app.inject({ url })).json() as Array<{ free: number }>).reduce((a, s) => a + s.free, 0);
    expect(await free()).toBe(28 - 1); // two shifts of 20 → 28 online, one held

    const roster = (
      await h.app.inject({ url: `/api/v1/admin/centers/${CENTER}/roster`, headers: { cookie: head } })
    ).json() as Array<{ id: number; staffId: string }>;
    const shiftIds = roster.filter((r) => r.staffId === 'st-admin-1').map((r) => r.id);
    expect(shiftIds).toHaveLength(2);
    for (const id of shiftIds) {
      const r = await h.app.inject({
        method: 'DELETE',
        url: `/api/v1/admin/centers/${CENTER}/roster/${id}`,
        headers: { cookie: head },
      });
      expect(r.statusCode).toBe(200);
    }
    // Only the examiner is left: no vehicle places, and the booked one is listed, kept, not moved.
    expect(await free()).toBe(0);
    const reg = await h.ctx.db
      .selectFrom('registrations')
      .select(['status', 'slot_id'])
      .where('id', '=', (booked.json() as { id: string }).id)
      .executeTakeFirstOrThrow();
    expect(reg).toEqual({ status: 'booked', slot_id: slots[0]?.id });
    const conflicts = (
      await h.app.inject({
        url: `/api/v1/admin/centers/${CENTER}/capacity/conflicts`,
        headers: { cookie: head },
      })
    ).json() as Array<{ day: string; reason: string }>;
    expect(conflicts).toEqual(expect.arrayContaining([expect.objectContaining({ day, reason: 'no_staff' })]));
    const bad = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM slots WHERE booked > capacity`.execute(h.ctx.db);
    expect(bad.rows[0]?.n).toBe(0);
  });

  it('rule 8: a center norm override regenerates the center; the preview shows capacity per pool', async () => {
    const nat = await staffCookie(h.app, 'national_admin');
    const res = await h.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/centers/${OTHER_CENTER}/norms`,
      headers: { cookie: nat },
      payload: [{ groupId: GROUP.vehicle, role: 'administrator', perDay: 10 }],
    });
    expect(res.statusCode).toBe(200);
    const preview = await h.app.inject({
      url: `/api/v1/admin/centers/${OTHER_CENTER}/capacity?from=2026-11-30&to=2026-11-30`,
      headers: { cookie: nat },
    });
    expect(preview.json()).toEqual([
      expect.objectContaining({
        day: '2026-11-30',
        groups: [
          expect.objectContaining({
            groupId: GROUP.vehicle,
            online: { capacity: 7, booked: 0 },
            terminal: { capacity: 3, booked: 0 },
          }),
        ],
      }),
    ]);
  });

  it('admin API is described in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/admin/centers/{id}/capacity',
        '/api/v1/admin/centers/{id}/capacity/regenerate',
        '/api/v1/admin/centers/{id}/roster',
        '/api/v1/admin/norms',
      ]),
    );
  });

  it('admin API: a head of another center and a citizen are refused; bad input writes nothing', async () => {
    const other = await staffCookie(h.app, 'center_head', OTHER_CENTER);
    const { cookie: citizen } = await citizenCookie(h.app, { rnokpp: rnokpp(803) });
    const audits = async () => (await h.ctx.db.selectFrom('audit_log').select('id').execute()).length;
    const n = await audits();
    for (const [cookie, code] of [
      [other, 'FORBIDDEN'],
      [citizen, 'FORBIDDEN'],
      ['', 'UNAUTHENTICATED'],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/admin/centers/${CENTER}/holidays`,
        headers: cookie ? { cookie } : {},
        payload: { day: '2026-12-01', name: 'x' },
      });
      expect(res.json()).toMatchObject({ code });
      const read = await h.app.inject({
        url: `/api/v1/admin/centers/${CENTER}/roster`,
        headers: cookie ? { cookie } : {},
      });
      expect(read.json()).toMatchObject({ code });
    }
    const national = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/norms',
      headers: { cookie: head },
      payload: [{ groupId: GROUP.vehicle, role: 'administrator', perDay: 5 }],
    });
    expect(national.json()).toMatchObject({ code: 'FORBIDDEN' });
    const bad = await h.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/centers/${CENTER}`,
      headers: { cookie: head },
      payload: { workingHours: { '1': { open: '18:00', close: '09:00' } } },
    });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION' });
    const past = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/centers/${CENTER}/capacity/regenerate`,
      headers: { cookie: head },
      payload: { from: '2026-11-01', to: '2026-11-02' },
    });
    expect(past.json()).toMatchObject({ code: 'VALIDATION' });
    expect(await audits()).toBe(n);
  });
});
