import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { buildWeb, hasChromium, launch, watchErrors } from './browser-support.js';

/**
 * SPEC §5: Ukrainian by default, English one click away without a reload (what a person typed
 * or chose stays), and counted nouns agree with their numbers on the screen itself.
 */
const NOW = '2026-11-23T07:00:00Z';

describe.runIf(hasChromium)('language and plurals on screen (Chromium)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await addSlot(h.ctx.db, { day: '2026-11-24', time: '10:00', capacity: 3, pool: 'online' });
    await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 1, pool: 'online' });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('the booking wizard counts places with plural rules and switches to English in place', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(5) });
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'uk-UA',
      timezoneId: 'Europe/Kyiv',
    });
    await context.clock.setFixedTime(new Date(NOW));
    await context.addCookies([{ name: 'ezs', value: cookie.slice('ezs='.length), url: base }]);
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.goto(`${base}/book`);
    await page.getByRole('button', { name: /Реєстрація транспортного засобу/ }).click();
    // 3 + 1 places: "4 вільні місця", not "4 вільних місць".
    await page.getByText('4 вільні місця на найближчі 7 днів').waitFor();
    await page.getByRole('button', { name: /ТСЦ МВС № 8041/ }).click();
    await page.getByRole('button', { name: /24 листопада.*3 місця/ }).waitFor();
    await page.getByRole('button', { name: /25 листопада.*1 місце/ }).waitFor();

    // A reload would lose this marker and the wizard's step.
    await page.evaluate(() => {
      (window as unknown as { __stay: boolean }).__stay = true;
    });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Choose a day' }).waitFor();
    await page.getByRole('button', { name: /24 November.*3 places/ }).waitFor();
    await page.getByRole('button', { name: /25 November.*1 place\b/ }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __stay?: boolean }).__stay)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.getByRole('button', { name: 'Українська' }).click();
    await page.getByRole('heading', { name: 'Оберіть день' }).waitFor();
    expect(await page.evaluate(() => document.cookie)).toContain('lang=uk');
    await context.close();
  });

  it('no page error and no CSP violation', () => {
    expect(errors).toEqual([]);
  });
});
