import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/platform/kyiv-time.js';
import { addSlot, CENTER, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { buildWeb, hasChromium, launch, openAt, screenshotPath } from './browser-support.js';

/**
 * Every screen takes the date from the server, never from the device: the browser's clock is
 * set a week behind the server's, and the portal (phone) and the board (wall TV) still show the
 * server's day; the calendar offers exactly the server's D+1 … D+21 and the center list counts
 * the server's next seven days.
 */
const SERVER_NOW = '2026-12-08T08:00:00Z'; // Tuesday 10:00 in Kyiv
const SERVER_TODAY = '2026-12-08';
const EXPORT = 'Експорт CSV (по днях)';
const DEVICE_NOW = '2026-12-01T06:13:00Z'; // a week behind: Tuesday 08:13 in Kyiv

describe.runIf(hasChromium)(
  'screens take the date from the server (Chromium, device clock a week off)',
  () => {
    let h: Harness;
    let base: string;
    let browser: Browser;
    const errors: string[] = [];
    const contexts: BrowserContext[] = [];

    async function open(path: string, viewport: { width: number; height: number }, cookie?: string) {
      const opened = await openAt(browser, base, path, {
        viewport,
        deviceNow: DEVICE_NOW,
        contexts,
        errors,
        ...(cookie ? { cookie } : {}),
      });
      return opened.page;
    }

    beforeAll(async () => {
      await buildWeb();
      h = await createHarness('pglite', { now: SERVER_NOW });
      await seedCatalog(h.ctx.db);
      // Places on the server's first bookable day, on its 7th and 8th (the list counts 7 days),
      // on its last (D+21) and on the day after the window; plus on a day that is "tomorrow"
      // only for the device's clock.
      await addSlot(h.ctx.db, { day: addDays(SERVER_TODAY, 1), time: '10:00', capacity: 1 });
      await addSlot(h.ctx.db, { day: addDays(SERVER_TODAY, 7), time: '10:00', capacity: 21 });
      await addSlot(h.ctx.db, { day: addDays(SERVER_TODAY, 8), time: '10:00', capacity: 100 });
      await addSlot(h.ctx.db, { day: addDays(SERVER_TODAY, 21), time: '10:00', capacity: 2 });
      await addSlot(h.ctx.db, { day: addDays(SERVER_TODAY, 22), time: '10:00', capacity: 5 });
      await addSlot(h.ctx.db, { day: '2026-12-02', time: '10:00', capacity: 7 });
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      browser = await launch();
    }, 180_000);

    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await h?.close();
    });

    it('the device clock is really a week off in the page', async () => {
      const page = await open('/', { width: 390, height: 844 });
      expect(await page.evaluate(() => new Date().toISOString())).toBe(new Date(DEVICE_NOW).toISOString());
      const time = await page.evaluate(async () => (await fetch('/api/v1/time')).json());
      expect(time).toMatchObject({ today: SERVER_TODAY, horizonFrom: '2026-12-09', horizonTo: '2026-12-29' });
    });

    it('the portal on a phone counts the server’s next 7 days and offers exactly the server’s D+1 … D+21', async () => {
      const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(8) });
      const page = await open('/book', { width: 390, height: 844 }, cookie);
      await page.getByRole('button', { name: /Реєстрація транспортного засобу/ }).click();
      await page.getByRole('heading', { name: 'Оберіть сервісний центр' }).waitFor();
      // D+1 … D+7 on the server's calendar: 1 + 21 places (not the 7 of the device's tomorrow, not D+8).
      await page.getByText('22 вільні місця на найближчі 7 днів').waitFor();
      await page.getByRole('button', { name: /ТСЦ МВС № 8041/ }).click();

      await page.getByRole('heading', { name: 'Оберіть день' }).waitFor();
      await page.getByRole('button', { name: /29 грудня.*2 місця/ }).waitFor();
      const days = page.locator('table.calendar button.cal-day');
      expect(await days.count()).toBe(21);
      const labels = await days.locator('.sr-only').first().textContent();
      expect(labels).toMatch(/^середа, 9 грудня 2026/);
      expect(await days.last().locator('.sr-only').first().textContent()).toMatch(
        /^вівторок, 29 грудня 2026/,
      );
      // The server's tomorrow has its one place; the device's "tomorrow" is not offered at all.
      await page.getByRole('button', { name: /9 грудня 2026.*1 місце/ }).waitFor();
      expect(await page.getByRole('button', { name: /, 2 грудня/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /, 30 грудня/ }).count()).toBe(0);
      await page.screenshot({ path: screenshotPath('server-clock-portal-calendar'), fullPage: true });
    });

    it('the board on a wall TV shows the server’s date and time', async () => {
      const page = await open(`/board?center=${CENTER}`, { width: 1920, height: 1080 });
      await page.locator('.b-date').getByText('вівторок, 8 грудня 2026 р.').waitFor();
      expect(await page.locator('.b-time').textContent()).toBe('10:00');
      await page.screenshot({ path: screenshotPath('server-clock-board') });
    });

    it('the admin console’s default period and CSV file name take the server’s today', async () => {
      const cookie = await staffCookie(h.app, 'center_head', CENTER);
      const page = await open('/admin#capacity', { width: 1280, height: 900 }, cookie);
      const from = page.locator('#c-from');
      await from.waitFor();
      expect(await from.inputValue()).toBe(SERVER_TODAY);
      // The statistics period and the CSV file's name take the server's day too.
      await page.getByText('Статистика', { exact: true }).click();
      const exported = page.waitForEvent('download');
      await page.getByRole('button', { name: EXPORT }).click();
      expect((await exported).suggestedFilename()).toBe(`e-zapys-${CENTER}-${SERVER_TODAY}.csv`);
    });

    it('no page error and no CSP violation', () => {
      expect(errors).toEqual([]);
    });
  },
);
