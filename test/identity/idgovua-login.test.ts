import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestKeyset } from '../../src/identity/idgovua/idgovua-envelope.js';
import { sessionAuthType } from '../../src/identity/idgovua/idgovua-session-store.js';
import { envelopeFor } from '../../src/identity/login-routes.js';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { Browser, formFor } from './browser.js';

/** A citizen login through the emulator, following every redirect; returns where it ended. */
async function login(base: string, persona: string): Promise<{ browser: Browser; final: URL }> {
  const browser = new Browser(base);
  const start = await browser.request('/auth/citizen/login?returnTo=/book');
  const page = await browser.request(start.headers.get('location') ?? '');
  const form = formFor(await page.text(), `value="${persona}"`);
  const done = await browser.follow(
    form.action,
    { form: form.fields },
    (u) => !u.pathname.startsWith('/auth/') && !u.pathname.startsWith('/dev/'),
  );
  return { browser, final: done.url };
}

async function listening(env: Record<string, string>): Promise<{ h: Harness; base: string }> {
  const h = await createHarness('pglite', { env });
  await seedCatalog(h.ctx.db);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  h.ctx.config.publicUrl = base;
  return { h, base };
}

describe('ID.GOV.UA test environment: IDGOVUA_PLAIN_USERINFO=on', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    ({ h, base } = await listening({ IDGOVUA_PLAIN_USERINFO: 'on' }));
  });
  afterAll(() => h.close());

  it('no certificate is sent, the plain answer signs the citizen in with its auth type', async () => {
    expect(envelopeFor(h.ctx.config.identity)).toBeNull();
    const { browser, final } = await login(base, 'passport');
    expect(final.pathname + final.search).toBe('/book');
    expect(await sessionAuthType(h.ctx.db, browser.cookies.get('ezs') ?? '')).toBe('diia_id');
  });
});

describe('configured encryption keys, and an envelope whose sender is unknown', () => {
  let h: Harness;
  let base: string;
  const keys = generateTestKeyset('configured-test-password');
  beforeAll(async () => {
    ({ h, base } = await listening({
      IDGOVUA_ENCRYPTION_CERT: keys.ours.certBase64,
      IDGOVUA_ENCRYPTION_KEY: keys.ours.keyBase64,
      IDGOVUA_ENCRYPTION_KEY_PASSWORD: keys.ours.password,
    }));
  }, 120_000);
  afterAll(() => h.close());

  it('the emulator encrypts to the configured certificate and the login completes', async () => {
    expect(envelopeFor(h.ctx.config.identity)?.certBase64).toBe(keys.ours.certBase64);
    const { browser, final } = await login(base, 'individual');
    expect(final.pathname).toBe('/book');
    expect(await sessionAuthType(h.ctx.db, browser.cookies.get('ezs') ?? '')).toBe('bank_id');
  });

  it('an envelope from a sender we cannot name signs no one in, and the refusal is audited with its reason', async () => {
    // The same emulator addressed as an external provider: its certificate is not configured.
    const id = h.ctx.config.identity;
    h.ctx.config.identity = { ...id, idgovuaBaseUrl: `${base}/dev/idgovua` };
    try {
      const { browser, final } = await login(base, 'individual');
      expect(final.searchParams.get('loginError')).toBe('provider');
      expect(browser.cookies.has('ezs')).toBe(false);
    } finally {
      h.ctx.config.identity = id;
    }
    const refused = await h.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'login.refused')
      .execute();
    expect(refused.map((r) => r.details)).toContainEqual({
      via: 'idgovua',
      reason: 'envelope_unknown_sender',
    });
  });

  it('a configured key that does not match its certificate stops the start', async () => {
    const other = generateTestKeyset('x');
    await expect(
      createHarness('pglite', {
        env: {
          IDGOVUA_ENCRYPTION_CERT: keys.ours.certBase64,
          IDGOVUA_ENCRYPTION_KEY: other.ours.keyBase64,
          IDGOVUA_ENCRYPTION_KEY_PASSWORD: 'x',
        },
      }),
    ).rejects.toThrow(/does not belong to IDGOVUA_ENCRYPTION_CERT/);
  }, 120_000);
});
