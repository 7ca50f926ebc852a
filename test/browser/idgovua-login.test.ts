import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestKeyset } from '../../src/identity/idgovua/idgovua-envelope.js';
import { sessionAuthType } from '../../src/identity/idgovua/idgovua-session-store.js';
import { envelopeFor } from '../../src/identity/login-routes.js';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { buildWeb, hasChromium, launch, screenshotPath, watchErrors } from './browser-support.js';

/**
 * A citizen signs in through the ID.GOV.UA emulator in real Chromium with encrypted user info:
 * the service sends its configured encryption certificate, the emulator answers with a signed
 * DSTU 4145 / GOST 28147 envelope for it, the service opens it. The sign-in starts with a
 * poisoned return target, which a browser would have turned into another host.
 */
describe.runIf(hasChromium)('ID.GOV.UA login in Chromium, encrypted user info', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const keys = generateTestKeyset('browser-test-password');

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', {
      env: {
        IDGOVUA_ENCRYPTION_CERT: keys.ours.certBase64,
        IDGOVUA_ENCRYPTION_KEY: keys.ours.keyBase64,
        IDGOVUA_ENCRYPTION_KEY_PASSWORD: keys.ours.password,
      },
    });
    await seedCatalog(h.ctx.db);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    h.ctx.config.publicUrl = base;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('Diia QR is offered; the envelope is opened; the session records how the person signed in', async () => {
    expect(envelopeFor(h.ctx.config.identity)?.certBase64).toBe(keys.ours.certBase64);
    const context = await browser.newContext({ locale: 'uk-UA' });
    const page = await context.newPage();
    watchErrors(page, errors);
    // `/\t/evil.example` is `//evil.example` to a browser.
    await page.goto(`${base}/auth/citizen/login?returnTo=${encodeURIComponent('/\t/evil.example/my')}`);
    await page.getByRole('heading', { name: 'Оберіть тестову особу' }).waitFor();
    await page.getByText('Дія (QR-код)').first().waitFor();
    await page.screenshot({ path: screenshotPath('idgovua-emulator-encrypted'), fullPage: true });
    await page.getByRole('button', { name: /Ткаченко Олена Миколаївна/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/auth/') && !u.pathname.startsWith('/dev/'));
    expect(new URL(page.url()).origin).toBe(base);
    expect(new URL(page.url()).pathname).toBe('/');
    // Signed in as the person the envelope named: her page, her name, her passport masked.
    await page.getByRole('heading', { name: 'Мої записи' }).waitFor();
    await page.getByText('Ткаченко Олена Миколаївна').waitFor();
    await page.screenshot({ path: screenshotPath('idgovua-after-login'), fullPage: true });

    const cookie = (await context.cookies()).find((c) => c.name === 'ezs');
    expect(cookie?.httpOnly).toBe(true);
    expect(await sessionAuthType(h.ctx.db, cookie?.value ?? '')).toBe('diia_oauth');
    const session = await (await context.request.get(`${base}/auth/session`)).json();
    expect(session).toMatchObject({ authenticated: true, role: 'citizen' });
    const login = await h.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'login')
      .where('actor_id', '=', session.personId)
      .executeTakeFirstOrThrow();
    expect(login.details).toMatchObject({ via: 'idgovua', authType: 'diia_oauth', idKind: 'passport' });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
