import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/platform/crypto.js';
import { CENTER, OTHER_CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

describe.each(testDatabases())('kiosk and board credentials on %s', (kind) => {
  let h: Harness;
  let head: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
    head = await staffCookie(h.app, 'center_head', CENTER);
  });
  afterAll(() => h.close());

  const issue = (cookie: string, center: string, kindOf: 'terminal' | 'board' = 'terminal') =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${center}/devices`,
      headers: { cookie },
      payload: { kind: kindOf, label: 'Кіоск біля входу' },
    });
  const exchange = (token: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/devices/session', payload: { token } });

  it('a center head issues a kiosk credential: shown once, stored hashed, audited', async () => {
    const res = await issue(head, CENTER);
    expect(res.statusCode).toBe(201);
    const { id, token } = res.json();
    expect(token).toMatch(/^ezd_[\w-]{40,}$/);
    const row = await h.ctx.db
      .selectFrom('device_credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const list = await h.app.inject({ url: `/api/v1/centers/${CENTER}/devices`, headers: { cookie: head } });
    expect(list.json()).toEqual([expect.objectContaining({ id, kind: 'terminal' })]);
    expect(list.body).not.toContain(token);
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'device.issued')
      .execute();
    expect(audit).toEqual([expect.objectContaining({ subject_id: id, center_id: CENTER })]);
  });

  it('the kiosk exchanges its credential for a device session of its center (bearer token)', async () => {
    const { token } = (await issue(head, CENTER)).json();
    const res = await exchange(token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'terminal', centerId: CENTER });
    const bearer = { authorization: `Bearer ${res.json().token}` };
    expect((await h.app.inject({ url: `/api/v1/centers/${CENTER}/desks`, headers: bearer })).statusCode).toBe(
      200,
    );
    expect(
      (await h.app.inject({ url: `/api/v1/centers/${OTHER_CENTER}/desks`, headers: bearer })).statusCode,
    ).toBe(403);
    // A kiosk is not staff: no audit, no devices, no identifiers.
    expect((await h.app.inject({ url: '/api/v1/admin/audit', headers: bearer })).statusCode).toBe(403);
  });

  it('a board credential opens a read-only board session', async () => {
    const { token } = (await issue(head, CENTER, 'board')).json();
    const res = await exchange(token);
    expect(res.json()).toMatchObject({ role: 'board', centerId: CENTER });
  });

  it('revoking ends the credential and every session opened with it', async () => {
    const { id, token } = (await issue(head, CENTER)).json();
    const session = (await exchange(token)).json().token;
    const revoke = await h.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${id}/revoke`,
      headers: { cookie: head },
    });
    expect(revoke.statusCode).toBe(200);
    expect((await exchange(token)).statusCode).toBe(401);
    const after = await h.app.inject({
      url: `/api/v1/centers/${CENTER}/desks`,
      headers: { authorization: `Bearer ${session}` },
    });
    expect(after.statusCode).toBe(401);
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/v1/devices/${id}/revoke`, headers: { cookie: head } }))
        .statusCode,
    ).toBe(404);
  });

  it('a head of another center can neither issue here nor revoke this center’s credential', async () => {
    const otherHead = await staffCookie(h.app, 'center_head', OTHER_CENTER);
    expect((await issue(otherHead, CENTER)).statusCode).toBe(403);
    const { id } = (await issue(head, CENTER)).json();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${id}/revoke`,
      headers: { cookie: otherHead },
    });
    expect(res.statusCode).toBe(403);
    const operator = await staffCookie(h.app, 'operator', CENTER);
    expect((await issue(operator, CENTER)).statusCode).toBe(403);
  });

  it('an unknown token opens nothing', async () => {
    expect((await exchange(`ezd_${'x'.repeat(43)}`)).statusCode).toBe(401);
  });
});
