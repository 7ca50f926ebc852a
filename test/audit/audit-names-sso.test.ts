import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeStaffLogin } from '../../src/identity/login-service.js';
import { ssoDisplayName } from '../../src/identity/staff-oidc/staff-profile.js';
import { Browser, formFor } from '../identity/browser.js';
import { CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

interface Entry {
  id: number;
  action: string;
  actorId: string | null;
  actorName: string | null;
  actorStaffRole: string | null;
  details: Record<string, unknown>;
}

/**
 * §5 "who, when, what": every audit entry names the staff member by the SSO identity's name as
 * it was when they acted. The SSO's `name` claim is copied to the staff row at login; renaming
 * the staff member later (at the SSO or in the roster) never rewrites older entries.
 */
describe.each(testDatabases())('audit entries keep the SSO name of the time on %s', (kind) => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
    await h.ctx.db
      .updateTable('staff')
      .set({ email: 'maria.koval@mvs.example' })
      .where('id', '=', 'st-head-1')
      .execute();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    h.ctx.config.publicUrl = base;
  });
  afterAll(() => h.close());

  async function ssoLogin(browser: Browser, email: string) {
    const { res } = await browser.follow('/auth/staff/login?returnTo=/admin');
    const form = formFor(await (res as Response).text(), `value="${email}"`);
    await browser.follow(
      form.action,
      { form: form.fields },
      (u) => !u.pathname.startsWith('/auth/') && !u.pathname.startsWith('/dev/'),
    );
  }
  const alert = (browser: Browser, active: boolean) =>
    browser.request(`/api/v1/centers/${CENTER}/alert`, { json: { active }, headers: { origin: base } });
  const entries = async (browser: Browser): Promise<Entry[]> =>
    (await (await browser.request(`/api/v1/admin/audit?centerId=${CENTER}&limit=200`)).json()).items;

  it('an SSO-logged head’s action names her; a later SSO rename and a roster rename leave old entries as they were', async () => {
    const head = new Browser(base);
    await ssoLogin(head, 'maria.koval@mvs.example');
    expect((await alert(head, true)).status).toBe(200);
    const before = await entries(head);
    const started = before.find((e) => e.action === 'alert.started');
    expect(started).toMatchObject({
      actorId: 'st-head-1',
      actorName: 'Коваль Марія',
      actorStaffRole: 'center_head',
    });
    expect(before.find((e) => e.action === 'login')).toMatchObject({ actorName: 'Коваль Марія' });

    // The ministry SSO now says another name (what finishStaffLogin reads from the `name` claim).
    const renamed = ssoDisplayName('  Коваль-Петренко\u0007   Марія ');
    expect(renamed).toBe('Коваль-Петренко Марія');
    const session = await completeStaffLogin(
      { db: h.ctx.db, clock: h.clock, crypto: h.ctx.crypto, sessions: h.ctx.sessions },
      {
        claims: {
          sub: 'maria.koval@mvs.example',
          email: 'maria.koval@mvs.example',
          name: renamed ?? undefined,
        },
        issuer: `${base}/dev/oidc`,
        replaces: null,
        ip: '127.0.0.1',
      },
    );
    const row = await h.ctx.db
      .selectFrom('staff')
      .select('full_name')
      .where('id', '=', 'st-head-1')
      .executeTakeFirstOrThrow();
    expect(row.full_name).toBe('Коваль-Петренко Марія');

    const again = new Browser(base);
    again.cookies.set('ezs', session.token);
    expect((await alert(again, false)).status).toBe(200);
    // A roster edit renames her once more, after both actions.
    await h.ctx.db
      .updateTable('staff')
      .set({ full_name: 'Петренко Марія' })
      .where('id', '=', 'st-head-1')
      .execute();

    const after = await entries(again);
    const byId = (id: number | undefined) => after.find((e) => e.id === id);
    expect(byId(started?.id)?.actorName).toBe('Коваль Марія');
    expect(after.find((e) => e.action === 'alert.ended')).toMatchObject({
      actorName: 'Коваль-Петренко Марія',
    });
    const relogin = after.find((e) => e.action === 'login' && e.details.renamedFrom);
    expect(relogin).toMatchObject({
      actorName: 'Коваль-Петренко Марія',
      details: { via: 'staff_oidc', renamedFrom: 'Коваль Марія' },
    });
  });

  it('a name claim that is not a name (empty, one letter, control characters only, not a string) keeps the staff row’s name', () => {
    for (const raw of ['', ' ', 'М', '\u0000\u0001', 42, null, undefined, 'x'.repeat(201)])
      expect(ssoDisplayName(raw), JSON.stringify(raw)).toBeNull();
    expect(ssoDisplayName('Іваненко\u200bОлена')).toBe('Іваненко Олена');
  });
});
