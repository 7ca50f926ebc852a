import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/catalog/demo-seed.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

describe.each(testDatabases())('demo data on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-23T07:00:00Z' });
  });
  afterAll(() => h.close());

  const counts = async () => {
    const n = async (
      table:
        | 'centers'
        | 'services'
        | 'desks'
        | 'staff'
        | 'roster_shifts'
        | 'norms'
        | 'slots'
        | 'capacity_days',
    ) =>
      Number(
        (
          await h.ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      centers: await n('centers'),
      services: await n('services'),
      desks: await n('desks'),
      staff: await n('staff'),
      roster: await n('roster_shifts'),
      norms: await n('norms'),
      slots: await n('slots'),
      days: await n('capacity_days'),
    };
  };

  it('seeds once: a second run (a restart, or another instance) duplicates nothing', async () => {
    const [a, b] = await Promise.all([seedDemoData(h.ctx), seedDemoData(h.ctx)]);
    expect([a, b].sort()).toEqual([false, true]);
    const first = await counts();
    expect(await seedDemoData(h.ctx)).toBe(false);
    expect(await counts()).toEqual(first);
    expect(first.centers).toBeGreaterThanOrEqual(5);
    expect(first.days).toBe(first.centers * 22);
    expect(await h.ctx.capacity.releaseDue()).toBe(0);
  });

  it('rule 8: a restart two days later catches up the missed days at once, still without duplicates', async () => {
    const before = await counts();
    h.clock.set('2026-11-25T07:00:00Z');
    expect(await seedDemoData(h.ctx)).toBe(false);
    const after = await counts();
    expect(after.days).toBe(before.days + 2 * before.centers);
    expect(after.centers).toBe(before.centers);
    h.clock.set('2026-11-23T07:00:00Z');
  });

  it('the demo catalogue is complete: regions, services with documents and fees, heads and a national admin', async () => {
    const centers = (await h.app.inject({ url: '/api/v1/centers' })).json() as Array<{ region: string }>;
    expect(new Set(centers.map((c) => c.region)).size).toBe(centers.length);
    const services = await h.ctx.db
      .selectFrom('services')
      .select(['documents', 'price', 'group_id'])
      .execute();
    expect(new Set(services.map((s) => s.group_id)).size).toBe(4);
    for (const s of services) {
      expect(s.documents.length).toBeGreaterThan(0);
      expect(s.price).toMatch(/грн/);
    }
    const heads = await h.ctx.db
      .selectFrom('staff')
      .select(['center_id', 'oidc_sub'])
      .where('role', '=', 'center_head')
      .execute();
    expect(heads).toHaveLength(centers.length);
    expect(heads.every((x) => x.oidc_sub === null)).toBe(true);
    const admins = await h.ctx.db
      .selectFrom('staff')
      .select('id')
      .where('role', '=', 'national_admin')
      .execute();
    expect(admins).toHaveLength(1);
  });

  it('rule 8: every center has bookable online places next week for every service group', async () => {
    const centers = (await h.app.inject({ url: '/api/v1/centers' })).json() as Array<{
      id: string;
      examCategories: string[];
    }>;
    const services = (await h.app.inject({ url: '/api/v1/services' })).json() as Array<{
      id: string;
      group: string;
      examCategories: string[];
    }>;
    const perGroup = [...new Map(services.map((s) => [s.group, s])).values()];
    // SPEC §2 Exams: a center that declares no vehicle category takes no practical exams.
    expect(centers.filter((c) => c.examCategories.length === 0).length).toBeGreaterThan(0);
    for (const c of centers) {
      for (const { id: serviceId, examCategories } of perGroup) {
        if (examCategories.length > 0 && c.examCategories.length === 0) continue;
        let free = 0;
        for (const date of ['2026-11-30', '2026-12-01', '2026-12-02']) {
          const res = await h.app.inject({
            url: `/api/v1/centers/${c.id}/slots?service=${serviceId}&date=${date}`,
          });
          free += (res.json() as Array<{ free: number }>).reduce((a, s) => a + s.free, 0);
        }
        expect(free, `${c.id} ${serviceId}`).toBeGreaterThan(0);
      }
    }
  });
});
