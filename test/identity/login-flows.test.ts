import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas } from '../../src/identity/idgovua/idgovua-personas.js';
import { sessionAuthType } from '../../src/identity/idgovua/idgovua-session-store.js';
import { envelopeFor } from '../../src/identity/login-routes.js';
import { completeStaffLogin } from '../../src/identity/login-service.js';
import { addSlot, CENTER, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { Browser, formFor } from './browser.js';

/**
 * End to end through the bundled providers with the real redirect flows: the app listens on a
 * port and a cookie-keeping client follows every redirect (no shortcut, no /dev/session).
 */
describe.each(testDatabases())('login flows on %s', (kind) => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    // The service's public address is where it listens here: every redirect is built from it.
    h.ctx.config.publicUrl = base;
  });
  afterAll(() => h.close());

  async function citizenLogin(browser: Browser, personaId: string, returnTo = '/book') {
    const start = await browser.request(`/auth/citizen/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status).toBe(302);
    const idp = new URL(start.headers.get('location') ?? '');
    const page = await browser.request(idp.href);
    expect(page.status).toBe(200);
    const form = formFor(await page.text(), `value="${personaId}"`);
    const done = await browser.follow(
      form.action,
      { form: form.fields },
      (u) => !u.pathname.startsWith('/auth/') && !u.pathname.startsWith('/dev/'),
    );
    return { idp, final: done.url };
  }

  it('a citizen signs in through the ID.GOV.UA emulator and books a slot', async () => {
    const slotId = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 2 });
    const browser = new Browser(base);
    const { idp, final } = await citizenLogin(browser, 'individual');
    expect(idp.pathname).toBe('/dev/idgovua/');
    expect(Object.fromEntries(idp.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'e-zapys-demo',
      auth_type: 'dig_sign,bank_id,diia_id,diia_oauth',
      redirect_uri: `${base}/auth/citizen/callback`,
    });
    expect(final.pathname).toBe('/book');
    expect(final.search).toBe('');
    expect(browser.cookies.get('ezs')).toBeTruthy();
    // The callback URL carried a code; the code is single use and never reaches the final URL.
    expect(browser.visited.some((u) => u.includes('/auth/citizen/callback?code='))).toBe(true);

    const me = await browser.request('/api/v1/me');
    expect(me.status).toBe(200);
    const profile = await me.json();
    expect(JSON.stringify(profile)).not.toContain(personas[0]?.user.drfocode);

    const booked = await browser.request('/api/v1/bookings', {
      json: { slotId, serviceId: SERVICE.vehicle },
      headers: { 'idempotency-key': 'e2e-citizen-0001' },
    });
    expect(booked.status).toBe(201);
    expect(await booked.json()).toMatchObject({ status: 'booked', centerId: CENTER });

    const logins = await h.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'login').execute();
    expect(
      logins.some((r) => r.actor_kind === 'citizen' && (r.details as { via?: string }).via === 'idgovua'),
    ).toBe(true);
  });

  it('a person without РНОКПП signs in with a passport; a legal-entity signer gets the ЄДРПОУ', async () => {
    const a = new Browser(base);
    await citizenLogin(a, 'passport');
    const person = await h.ctx.db
      .selectFrom('persons')
      .select(['id_kind', 'id_enc'])
      .where('last_name', '=', 'Гнатюк')
      .executeTakeFirstOrThrow();
    expect(person.id_kind).toBe('passport');
    expect(h.ctx.crypto.decrypt(person.id_enc)).toMatch(/3456$/);

    const b = new Browser(base);
    await citizenLogin(b, 'legal');
    const session = await (await b.request('/auth/session')).json();
    expect(session).toMatchObject({
      authenticated: true,
      role: 'citizen',
      legalEntity: personas[2]?.user.edrpoucode,
    });
  });

  it('encrypted user info by default: the auth type is stored with the session and in the audit; Diia QR is offered', async () => {
    expect(envelopeFor(h.ctx.config.identity)).not.toBeNull();
    const browser = new Browser(base);
    const start = await browser.request('/auth/citizen/login');
    const page = await (await browser.request(start.headers.get('location') ?? '')).text();
    expect(page).toContain('Дія (QR-код)');
    await citizenLogin(browser, 'idcard');
    const token = browser.cookies.get('ezs') ?? '';
    expect(await sessionAuthType(h.ctx.db, token)).toBe('diia_oauth');
    const person = await h.ctx.db
      .selectFrom('persons')
      .select(['id', 'id_kind', 'id_enc'])
      .where('last_name', '=', 'Ткаченко')
      .executeTakeFirstOrThrow();
    expect(person.id_kind).toBe('passport');
    expect(h.ctx.crypto.decrypt(person.id_enc)).toBe('004512378');
    const login = await h.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'login')
      .where('actor_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(login.details).toMatchObject({ via: 'idgovua', authType: 'diia_oauth', idKind: 'passport' });
    // The session keeps nothing of the provider's token: it ended at login.
    const row = await h.ctx.db
      .selectFrom('sessions')
      .select('data')
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(row.data).toEqual({ via: 'idgovua' });
  });

  it('the emulator’s tokens: user info reads once, logout answers {"error":"0"}, a used or expired token is refused', async () => {
    const tokenFor = async (persona: string) => {
      const browser = new Browser(base);
      const start = await browser.request('/auth/citizen/login');
      const page = await browser.request(start.headers.get('location') ?? '');
      const form = formFor(await page.text(), `value="${persona}"`);
      const code =
        new URL(
          (await browser.request(form.action, { form: form.fields })).headers.get('location') ?? '',
        ).searchParams.get('code') ?? '';
      const res = await fetch(`${base}/dev/idgovua/get-access-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'e-zapys-demo',
          client_secret: 'e-zapys-demo-secret',
          code,
        }).toString(),
      });
      return (await res.json()) as { access_token: string; user_id: string };
    };
    const info = (t: { access_token: string; user_id: string }) =>
      fetch(
        `${base}/dev/idgovua/get-user-info?fields=lastname,auth_type&user_id=${t.user_id}&access_token=${t.access_token}`,
      );
    const out = (t: { access_token: string; user_id: string }) =>
      fetch(`${base}/dev/idgovua/get-user-logout?user_id=${t.user_id}&access_token=${t.access_token}`);

    const t1 = await tokenFor('soldier');
    const first = await info(t1);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ lastname: 'Мельник', auth_type: 'bank_id' });
    const again = await info(t1);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: 'invalid_token' });
    const bye = await out(t1);
    expect(await bye.json()).toEqual({
      error: '0',
      error_description: `Дані користувача із ID = ${t1.user_id} видалено успішно`,
    });
    expect((await out(t1)).status).toBe(401);

    const t2 = await tokenFor('soldier');
    h.clock.advance(2 * 3600_000);
    try {
      expect((await info(t2)).status).toBe(401);
    } finally {
      h.clock.advance(-2 * 3600_000);
    }
    // The code exchange is a POST: the secret is not accepted in a GET query.
    const get = await fetch(
      `${base}/dev/idgovua/get-access-token?grant_type=authorization_code&client_id=e-zapys-demo&client_secret=e-zapys-demo-secret&code=x`,
    );
    expect(get.status).toBe(404);
  });

  it('rule 4: the blocked persona is blocked at once', async () => {
    const browser = new Browser(base);
    await citizenLogin(browser, 'blocked');
    const me = await (await browser.request('/api/v1/me')).json();
    expect(me.blockedUntil).toBeTruthy();
    const slotId = await addSlot(h.ctx.db, { day: '2026-11-26', time: '10:00', capacity: 2 });
    const res = await browser.request('/api/v1/bookings', {
      json: { slotId, serviceId: SERVICE.vehicle },
      headers: { 'idempotency-key': 'e2e-blocked-0001' },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('BLOCKED');
  });

  it('state is bound to the browser: another browser, a forged state or a replayed code sign no one in', async () => {
    const victim = new Browser(base);
    const start = await victim.request('/auth/citizen/login');
    const page = await victim.request(start.headers.get('location') ?? '');
    const form = formFor(await page.text(), 'value="individual"');
    const toCallback = await victim.request(form.action, { form: form.fields });
    const callback = toCallback.headers.get('location') ?? '';
    expect(callback).toContain('/auth/citizen/callback?code=');

    // An attacker's browser (no flow cookie) cannot use the victim's callback URL.
    const attacker = new Browser(base);
    const stolen = await attacker.request(callback);
    expect(stolen.status).toBe(303);
    expect(stolen.headers.get('location')).toBe('/?loginError=state');
    expect(attacker.cookies.has('ezs')).toBe(false);

    // A forged state in the right browser fails too, and consumes the flow.
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged');
    const res = await victim.request(forged.href);
    expect(res.headers.get('location')).toBe('/?loginError=state');
    expect(victim.cookies.has('ezs')).toBe(false);
    const again = await victim.request(callback);
    expect(again.headers.get('location')).toBe('/?loginError=state');
  });

  it('the code is single use at the token endpoint, and a wrong client secret is refused', async () => {
    const browser = new Browser(base);
    const start = await browser.request('/auth/citizen/login');
    const page = await browser.request(start.headers.get('location') ?? '');
    const form = formFor(await page.text(), 'value="soldier"');
    const code =
      new URL(
        (await browser.request(form.action, { form: form.fields })).headers.get('location') ?? '',
      ).searchParams.get('code') ?? '';
    const token = (secret: string) =>
      fetch(`${base}/dev/idgovua/get-access-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'e-zapys-demo',
          client_secret: secret,
          code,
        }).toString(),
      });
    expect((await token('wrong')).status).toBe(401);
    // A failed attempt still burns the code? No: client auth fails before the code is looked at.
    const first = await token('e-zapys-demo-secret');
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(typeof body.expires_in).toBe('string');
    expect((await token('e-zapys-demo-secret')).status).toBe(400);
  });

  it('login rotates the session and logout ends it here (the provider session ended at login)', async () => {
    const browser = new Browser(base);
    await citizenLogin(browser, 'individual');
    const first = browser.cookies.get('ezs') ?? '';
    await citizenLogin(browser, 'individual');
    const second = browser.cookies.get('ezs') ?? '';
    expect(second).not.toBe(first);
    const old = await fetch(`${base}/api/v1/me`, { headers: { cookie: `ezs=${first}` } });
    expect(old.status).toBe(401);

    const out = await browser.request('/auth/logout', { method: 'POST' });
    expect(out.status).toBe(200);
    expect(browser.cookies.has('ezs')).toBe(false);
    const after = await fetch(`${base}/api/v1/me`, { headers: { cookie: `ezs=${second}` } });
    expect(after.status).toBe(401);
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'logout')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  async function staffLogin(browser: Browser, email: string) {
    const { res, url } = await browser.follow('/auth/staff/login?returnTo=/operator');
    expect(url.pathname).toMatch(/^\/dev\/oidc\/interaction\//);
    const form = formFor(await (res as Response).text(), `value="${email}"`);
    return browser.follow(
      form.action,
      { form: form.fields },
      (u) => !u.pathname.startsWith('/auth/') && !u.pathname.startsWith('/dev/'),
    );
  }

  it('an operator signs in through the OIDC server (code + PKCE + nonce) and reaches the workstation API', async () => {
    await h.ctx.db
      .updateTable('staff')
      .set({ email: 'olena.ivanenko@mvs.example' })
      .where('id', '=', 'st-admin-1')
      .execute();
    const browser = new Browser(base);
    const done = await staffLogin(browser, 'olena.ivanenko@mvs.example');
    expect(done.url.pathname + done.url.search).toBe('/operator');
    const authorize = browser.visited.find((u) => u.includes('/dev/oidc/auth?')) ?? '';
    const params = new URL(authorize).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('nonce')).toBeTruthy();

    const session = await (await browser.request('/auth/session')).json();
    expect(session).toMatchObject({ role: 'operator', staffId: 'st-admin-1', centerId: CENTER });
    const desks = await browser.request(`/api/v1/centers/${CENTER}/desks`);
    expect(desks.status).toBe(200);
    expect((await desks.json()).length).toBe(3);
    expect((await browser.request(`/api/v1/centers/${OTHER_CENTER}/desks`)).status).toBe(403);

    const bound = await h.ctx.db
      .selectFrom('staff')
      .select('oidc_sub')
      .where('id', '=', 'st-admin-1')
      .executeTakeFirstOrThrow();
    expect(bound.oidc_sub).toBe('olena.ivanenko@mvs.example');
  });

  it('a center head and a national admin sign in with their roles; a staff row without access is refused', async () => {
    await h.ctx.db
      .updateTable('staff')
      .set({ email: 'maria.koval@mvs.example' })
      .where('id', '=', 'st-head-1')
      .execute();
    await h.ctx.db
      .insertInto('staff')
      .values({
        id: 'st-nat-1',
        center_id: null,
        full_name: 'Гончар Віктор',
        role: 'national_admin',
        email: 'v.honchar@mvs.example',
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const head = new Browser(base);
    await staffLogin(head, 'maria.koval@mvs.example');
    expect(await (await head.request('/auth/session')).json()).toMatchObject({
      role: 'center_head',
      centerId: CENTER,
    });
    const admin = new Browser(base);
    await staffLogin(admin, 'v.honchar@mvs.example');
    expect(await (await admin.request('/auth/session')).json()).toMatchObject({
      role: 'national_admin',
      centerId: null,
    });

    await h.ctx.db.updateTable('staff').set({ active: false }).where('id', '=', 'st-head-1').execute();
    const again = new Browser(base);
    const { res } = await again.follow('/auth/staff/login');
    // The SSO no longer lists the deactivated account.
    expect(await (res as Response).text()).not.toContain('maria.koval@mvs.example');
    await h.ctx.db.updateTable('staff').set({ active: true }).where('id', '=', 'st-head-1').execute();
  });

  it('an SSO subject that matches no active staff row gets no session, and the refusal is audited', async () => {
    const deps = { db: h.ctx.db, clock: h.ctx.clock, crypto: h.ctx.crypto, sessions: h.ctx.sessions };
    await expect(
      completeStaffLogin(deps, {
        claims: { sub: 'nobody', email: 'nobody@mvs.example' },
        issuer: 'x',
        replaces: null,
        ip: '10.1.1.1',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await h.ctx.db.updateTable('staff').set({ active: false }).where('id', '=', 'st-admin-2').execute();
    await h.ctx.db
      .updateTable('staff')
      .set({ email: 'ihor@mvs.example' })
      .where('id', '=', 'st-admin-2')
      .execute();
    await expect(
      completeStaffLogin(deps, {
        claims: { sub: 'ihor-sub', email: 'ihor@mvs.example' },
        issuer: 'x',
        replaces: null,
        ip: '10.1.1.1',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const refused = await h.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'login.refused')
      .execute();
    expect(refused.length).toBe(2);
  });
});
