import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CENTER, GROUP, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { seedRoster } from './capacity-support.js';

/**
 * Issue #13: the capacity settings answer through their response schemas, which drop what they do
 * not name; these are the fields the admin console reads. And SPEC §1: a center open on some
 * weekdays only saves its hours (a weekday left out is closed).
 */
describe.each(testDatabases())('center settings answers on %s', (kind) => {
  let h: Harness;
  let head: string;
  let national: string;
  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-23T08:00:00Z' });
    await seedCatalog(h.ctx.db);
    await seedRoster(h.ctx.db);
  });
  beforeEach(async () => {
    head = await staffCookie(h.app, 'center_head', CENTER);
    national = await staffCookie(h.app, 'national_admin');
  });
  afterAll(() => h.close());

  const call = (cookie: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  it('SPEC §1: hours for Monday to Friday only are saved (the weekend closed), and read back as saved', async () => {
    const weekday = { open: '08:00', close: '17:00', breakFrom: '12:00', breakTo: '12:45' };
    const hours = { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday };
    const put = await call(head, 'PUT', `/api/v1/admin/centers/${CENTER}`, {
      workingHours: hours,
      onlineShare: 0.6,
    });
    // zod 4's record over the weekday enum demanded all seven days: this was a VALIDATION.
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ centerId: CENTER, workingHours: hours, onlineShare: 0.6 });
    expect(put.json()).toHaveProperty('conflicts');
    const got = await call(head, 'GET', `/api/v1/admin/centers/${CENTER}`);
    expect(got.json()).toEqual({
      id: CENTER,
      code: expect.any(String),
      name: expect.any(String),
      region: expect.any(String),
      address: expect.any(String),
      workingHours: hours,
      onlineShare: 0.6,
    });
  });

  it('holidays answer with national and the change with its regeneration; removing answers removed', async () => {
    const added = await call(head, 'POST', `/api/v1/admin/centers/${CENTER}/holidays`, {
      day: '2026-12-02',
      name: 'Ремонт',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      id: expect.any(Number),
      day: '2026-12-02',
      name: 'Ремонт',
      conflicts: [],
    });
    const nationalDay = await call(national, 'POST', '/api/v1/admin/holidays', {
      day: '2026-12-03',
      name: 'Свято',
    });
    expect(nationalDay.statusCode).toBe(201);
    const list = await call(head, 'GET', `/api/v1/admin/centers/${CENTER}/holidays?from=2026-12-01`);
    expect(list.json()).toEqual([
      { id: added.json().id, day: '2026-12-02', name: 'Ремонт', centerId: CENTER, national: false },
      { id: nationalDay.json().id, day: '2026-12-03', name: 'Свято', centerId: null, national: true },
    ]);
    const removed = await call(head, 'DELETE', `/api/v1/admin/centers/${CENTER}/holidays/${added.json().id}`);
    expect(removed.json()).toMatchObject({
      id: added.json().id,
      removed: true,
      regenerated: expect.any(Number),
    });
  });

  it('norms answer with the group name, the national, own and effective norm', async () => {
    const set = await call(head, 'PUT', `/api/v1/admin/centers/${CENTER}/norms`, [
      { groupId: GROUP.vehicle, role: 'administrator', perDay: 12 },
    ]);
    expect(set.json()).toMatchObject({
      norms: [{ groupId: GROUP.vehicle, role: 'administrator', perDay: 12 }],
      conflicts: expect.any(Array),
    });
    const norms = await call(head, 'GET', `/api/v1/admin/centers/${CENTER}/norms`);
    expect(norms.json()).toContainEqual({
      groupId: GROUP.vehicle,
      groupName: expect.any(String),
      role: 'administrator',
      national: 20,
      perDay: 12,
      effective: 12,
    });
    const nationalNorms = await call(national, 'GET', '/api/v1/admin/norms');
    expect(nationalNorms.json()).toContainEqual(
      expect.objectContaining({ groupId: GROUP.vehicle, national: 20, perDay: 20, effective: 20 }),
    );
  });

  it('a regeneration answers with its days, slots, conflicts and overbooked slots', async () => {
    const r = await call(head, 'POST', `/api/v1/admin/centers/${CENTER}/capacity/regenerate`, {
      from: '2026-11-24',
      to: '2026-11-25',
    });
    expect(r.json()).toEqual({
      centerId: CENTER,
      days: ['2026-11-24', '2026-11-25'],
      slots: expect.any(Number),
      conflicts: [],
      overbooked: [],
    });
  });
});
