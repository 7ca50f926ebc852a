import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit-store.js';
import { CENTER, OTHER_CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

describe.each(testDatabases())('audit log query on %s', (kind) => {
  let h: Harness;
  let admin: string;
  let head: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
    const at = (m: number) => new Date(Date.UTC(2026, 10, 20, 8, m));
    for (let i = 0; i < 5; i++)
      await audit(h.ctx.db, {
        at: at(i),
        actorKind: 'operator',
        actorId: 'st-admin-1',
        action: 'registration.outcome',
        subjectKind: 'registration',
        subjectId: `r-${i}`,
        centerId: CENTER,
        ip: '10.0.0.1',
      });
    await audit(h.ctx.db, {
      at: at(10),
      actorKind: 'center_head',
      actorId: 'st-head-2',
      action: 'block.lifted',
      subjectKind: 'person',
      subjectId: 'p-9',
      centerId: OTHER_CENTER,
    });
    admin = await staffCookie(h.app, 'national_admin');
    head = await staffCookie(h.app, 'center_head', CENTER);
  });
  afterAll(() => h.close());

  const get = (cookie: string, query: string) =>
    h.app.inject({ url: `/api/v1/admin/audit?${query}`, headers: { cookie } });

  it('the national admin filters by action, subject and time, newest first', async () => {
    const res = await get(admin, 'action=registration.outcome');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { subjectId: string }) => i.subjectId)).toEqual([
      'r-4',
      'r-3',
      'r-2',
      'r-1',
      'r-0',
    ]);
    expect((await get(admin, 'subjectId=p-9')).json().items).toEqual([
      expect.objectContaining({ action: 'block.lifted', actorId: 'st-head-2', centerId: OTHER_CENTER }),
    ]);
    const window = await get(
      admin,
      `action=registration.outcome&from=2026-11-20T08:01:00Z&to=2026-11-20T08:03:00Z`,
    );
    expect(window.json().items.map((i: { subjectId: string }) => i.subjectId)).toEqual(['r-2', 'r-1']);
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(admin, `action=registration.outcome&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json();
      seen.push(...body.items.map((i: { subjectId: string }) => i.subjectId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
  });

  it("a center head sees only their center's entries and cannot ask for another's", async () => {
    const res = await get(head, 'limit=200');
    expect(res.statusCode).toBe(200);
    const centers = new Set(res.json().items.map((i: { centerId: string }) => i.centerId));
    expect([...centers]).toEqual([CENTER]);
    expect((await get(head, `centerId=${OTHER_CENTER}`)).statusCode).toBe(403);
  });

  it('operators, citizens and devices cannot read the audit log', async () => {
    for (const role of ['operator', 'terminal', 'board'] as const) {
      expect((await get(await staffCookie(h.app, role, CENTER), '')).statusCode).toBe(403);
    }
    expect((await h.app.inject({ url: '/api/v1/admin/audit' })).statusCode).toBe(401);
  });

  it('logins and logouts are audited with who and from where', async () => {
    const cookie = await staffCookie(h.app, 'operator', CENTER);
    await h.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } });
    const res = await get(admin, 'action=logout');
    expect(res.json().items[0]).toMatchObject({ actorKind: 'operator', centerId: CENTER, ip: '127.0.0.1' });
  });
});
