import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNext, DESK, kiosk, outcome, post } from '../hall/hall-support.js';
import { addSlot, CENTER, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt, ROOT } from './browser-support.js';

/**
 * The hall board on a 1920×1080 TV and the citizen portal on a 390×844 phone, in Chromium:
 * every call of the board stays on the screen with the alert banner, several desks calling at
 * once all show, free places per service are listed; the portal's header is compact, a person
 * at the monthly limit is told before step 1, the back button walks the wizard and "my
 * registrations" opens offline with the QR code and documents.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const TODAY = '2026-11-23';
const TOMORROW = '2026-11-24';
const SHOTS = resolve(ROOT, 'docs/screenshots');
const shot = (name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  return resolve(SHOTS, `${name}.png`);
};

/** The element's box lies fully inside the viewport and above the footer. */
async function aboveFooter(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  const foot = await page.locator('.b-foot').boundingBox();
  expect(box).not.toBeNull();
  expect(foot).not.toBeNull();
  if (!box || !foot) return;
  expect(box.y + box.height).toBeLessThanOrEqual(foot.y + 0.5);
  expect(foot.y + foot.height).toBeLessThanOrEqual(1080.5);
}

// A shared machine runs several browsers at once: each check gets a minute.
describe.runIf(hasChromium)(
  'board at 1920×1080 and portal on a phone (Chromium)',
  { timeout: 60_000 },
  () => {
    let h: Harness;
    let base: string;
    let browser: Browser;
    const errors: string[] = [];
    const contexts: BrowserContext[] = [];

    function open(path: string, viewport: { width: number; height: number }, cookie?: string) {
      return openAt(browser, base, path, {
        viewport,
        deviceNow: NOW,
        contexts,
        errors,
        ...(cookie ? { cookie } : {}),
      });
    }

    beforeAll(async () => {
      await buildWeb();
      h = await createHarness('pglite', { now: NOW });
      await seedCatalog(h.ctx.db);
      await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 20, pool: 'terminal', minutes: 120 });
      await addSlot(h.ctx.db, {
        day: TODAY,
        time: '09:30',
        capacity: 6,
        pool: 'terminal',
        group: GROUP.theory,
      });
      await addSlot(h.ctx.db, {
        day: TODAY,
        time: '11:00',
        capacity: 4,
        pool: 'online',
        group: GROUP.licence,
      });
      await addSlot(h.ctx.db, { day: TOMORROW, time: '10:00', capacity: 3, pool: 'online' });
      await addSlot(h.ctx.db, { day: TOMORROW, time: '11:30', capacity: 2, pool: 'online' });
      await h.ctx.db
        .updateTable('services')
        .set({
          documents: ['Паспорт громадянина України', 'Свідоцтво про реєстрацію транспортного засобу'],
          name_en: 'Vehicle registration',
          documents_en: ['Ukrainian passport', 'Vehicle registration certificate'],
          price_en: 'UAH 150',
        })
        .where('id', '=', SERVICE.vehicle)
        .execute();
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      h.ctx.config.publicUrl = base;
      browser = await launch();
    }, 180_000);

    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await h?.close();
    });

    it('board: 6 recent calls, three desks calling at once and free places per service fit 1920×1080, with and without the alert', async () => {
      const term = await staffCookie(h.app, 'terminal', CENTER);
      const ops = [DESK.d1, DESK.d2];
      const ids: string[] = [];
      for (let seed = 1; seed <= 8; seed++) {
        const res = await kiosk(h.app, term, { seed });
        expect(res.statusCode).toBe(201);
        ids.push((res.json() as { id: string }).id);
      }
      const theory = await kiosk(h.app, term, { seed: 20, service: SERVICE.theory });
      expect(theory.statusCode).toBe(201);
      const op = await staffCookie(h.app, 'operator', CENTER);
      // Six visits called and served, one minute apart, alternating between two desks.
      for (let i = 0; i < 6; i++) {
        h.clock.set(new Date(Date.parse(NOW) + (i + 1) * 60_000));
        const called = await callNext(h.app, op, ops[i % 2] as string);
        expect(called.statusCode).toBe(200);
        const id = (called.json() as { id: string }).id;
        expect((await outcome(h.app, op, id, 'served')).statusCode).toBe(200);
      }
      // Then three desks call at the same minute.
      h.clock.set(new Date(Date.parse(NOW) + 8 * 60_000));
      for (const desk of [DESK.d1, DESK.d2, DESK.d3])
        expect((await callNext(h.app, op, desk)).statusCode).toBe(200);

      const { page } = await open(`/board?center=${CENTER}`, { width: 1920, height: 1080 });
      await page.getByTestId('recent-calls').locator('li').nth(5).waitFor();
      expect(await page.getByTestId('current-calls').locator('li').count()).toBe(3);
      expect(await page.getByTestId('recent-calls').locator('li').count()).toBe(6);
      await aboveFooter(page, '[data-testid="recent-calls"] li:last-child');
      await aboveFooter(page, '[data-testid="current-calls"] li:last-child');
      // Free places per service, from today's slots.
      const services = page.getByTestId('free-by-service').locator('li');
      await services.first().waitFor();
      expect(await services.allTextContents()).toEqual([
        'Обмін посвідчення водія4',
        'Теоретичний іспит5',
        'Реєстрація транспортного засобу12',
      ]);
      // Headless Chromium without a gesture may not play sound: the board says so visibly.
      const soundOff = await page.getByTestId('sound-off').count();
      if (soundOff) await page.getByText('Звук вимкнено — торкніться, щоб увімкнути').waitFor();
      await expectAccessible(page, 'board');
      await page.screenshot({ path: shot('board-1920x1080') });

      const head = await staffCookie(h.app, 'center_head', CENTER);
      expect((await post(h.app, head, `/api/v1/centers/${CENTER}/alert`, { active: true })).statusCode).toBe(
        200,
      );
      await page.getByRole('alert').getByText('ПОВІТРЯНА ТРИВОГА').waitFor();
      await aboveFooter(page, '[data-testid="recent-calls"] li:last-child');
      await aboveFooter(page, '[data-testid="current-calls"] li:last-child');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.screenshot({ path: shot('board-alert-1920x1080') });
      expect((await post(h.app, head, `/api/v1/centers/${CENTER}/alert`, { active: false })).statusCode).toBe(
        200,
      );
    });

    it('board: with the autoplay policy of a kiosk launch the sound is on without a click', async () => {
      const kioskBrowser = await (await import('playwright-core')).chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
      });
      try {
        const page = await kioskBrowser.newPage({ viewport: { width: 1920, height: 1080 } });
        await page.goto(`${base}/board?center=${CENTER}`);
        await page.getByText('Звук увімкнено').waitFor();
        expect(await page.getByTestId('sound-off').count()).toBe(0);
      } finally {
        await kioskBrowser.close();
      }
    });

    it('portal on a phone: the header after sign-in is one row of at most 64 px', async () => {
      const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(31) });
      const { page } = await open('/my', { width: 390, height: 844 }, cookie);
      await page.getByRole('heading', { name: 'Мої записи' }).waitFor();
      const header = await page.locator('header.top').boundingBox();
      expect(header?.height).toBeLessThanOrEqual(64);
      await page.getByRole('button', { name: 'Вийти' }).waitFor();
      await expectAccessible(page, 'portal my registrations (phone)');
      await page.screenshot({ path: shot('portal-my-390x844') });
    });

    it('portal: a person at 4 of 4 online registrations is told before step 1, with the day from which booking is open', async () => {
      const person = await citizenCookie(h.app, { rnokpp: rnokpp(32) });
      for (const day of ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']) {
        const slotId = await addSlot(h.ctx.db, { day, time: '12:00', capacity: 2, pool: 'online' });
        expect((await h.client.book({ cookie: person.cookie }, { slotId })).statusCode).toBe(201);
      }
      const { page } = await open('/book', { width: 390, height: 844 }, person.cookie);
      const notice = page.getByTestId('limit-notice');
      await notice.getByText('Ви використали 4 з 4 онлайн-записів цього місяця').waitFor();
      await notice.getByText(/з 1 грудня 2026 р. ви можете записатися знову/).waitFor();
      // Step 1 is still there: the way forward is the next month's days, not a dead end.
      await page.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
      await expectAccessible(page, 'portal limit notice');
      await page.screenshot({ path: shot('portal-limit-390x844') });
    });

    it('portal: the wizard steps are in the URL, so the back button walks them and a reload keeps the step', async () => {
      const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(33) });
      const { page } = await open('/book', { width: 390, height: 844 }, cookie);
      await page.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
      // Documents and fees are folded: the list of services stays short on a phone.
      expect(await page.locator('details.service-docs[open]').count()).toBe(0);
      await page.screenshot({ path: shot('portal-services-390x844'), fullPage: true });
      await page.getByRole('button', { name: 'Реєстрація транспортного засобу' }).click();
      await page.getByRole('heading', { name: 'Оберіть сервісний центр' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/book/center');
      await page.getByRole('button', { name: /ТСЦ МВС № 8041/ }).click();
      await page.getByRole('heading', { name: 'Оберіть день' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/book/day');
      await page.reload();
      await page.getByRole('heading', { name: 'Оберіть день' }).waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Оберіть сервісний центр' }).waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/book');
      await page.goForward();
      await page.getByRole('heading', { name: 'Оберіть сервісний центр' }).waitFor();
    });

    it('portal in English: service names, documents and fees come from the catalogue’s English texts', async () => {
      const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(36) });
      const { page } = await open('/book', { width: 390, height: 844 }, cookie);
      await page.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Choose a service' }).waitFor();
      const item = page.locator('.service-item', {
        has: page.getByRole('button', { name: 'Vehicle registration' }),
      });
      await item.getByText('2 documents and fees').click();
      await item.getByText('Vehicle registration certificate').waitFor();
      await item.getByText('UAH 150').waitFor();
      await page.screenshot({ path: shot('portal-services-en-390x844') });
    });

    it('portal: cancelling says so in a status message that takes the focus', async () => {
      const person = await citizenCookie(h.app, { rnokpp: rnokpp(34) });
      const slotId = await addSlot(h.ctx.db, {
        day: '2026-11-26',
        time: '15:00',
        capacity: 1,
        pool: 'online',
      });
      const booked = await h.client.book({ cookie: person.cookie }, { slotId });
      expect(booked.statusCode).toBe(201);
      const { page } = await open('/my', { width: 390, height: 844 }, person.cookie);
      await page.getByRole('button', { name: 'Скасувати запис' }).click();
      await page.getByRole('button', { name: 'Так, скасувати' }).click();
      const status = page.getByTestId('cancel-status');
      await status.getByText(`Запис № ${booked.json().number}`, { exact: false }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'cancel-status',
      );
    });

    it('portal offline: "my registrations" shows the QR code and documents with actions disabled; /book says it is offline', async () => {
      const person = await citizenCookie(h.app, { rnokpp: rnokpp(35) });
      const slotId = await addSlot(h.ctx.db, {
        day: '2026-11-27',
        time: '15:00',
        capacity: 1,
        pool: 'online',
      });
      expect((await h.client.book({ cookie: person.cookie }, { slotId })).statusCode).toBe(201);
      const { page, context } = await open('/my', { width: 390, height: 844 }, person.cookie);
      await page.getByRole('heading', { name: 'Мої записи' }).waitFor();
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
        timeout: 10_000,
      });
      // Once more online under the service worker: it keeps the page, its code and the answers.
      await page.reload();
      await page.getByRole('button', { name: 'Скасувати запис' }).waitFor();
      await context.setOffline(true);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.getByText('Ви не в мережі').first().waitFor();
      await page
        .getByRole('img', { name: 'QR-код запису: покажіть його кіоску в залі в день візиту' })
        .waitFor();
      await page.getByText('Свідоцтво про реєстрацію транспортного засобу').first().waitFor();
      // No enabled action: cancelling needs the server (and its clock).
      expect(await page.getByRole('button', { name: 'Скасувати запис', disabled: false }).count()).toBe(0);
      await page.getByText('Без зв’язку скасувати чи оцінити запис не можна', { exact: false }).waitFor();
      await expectAccessible(page, 'portal offline my registrations');
      await page.screenshot({ path: shot('portal-offline-my-390x844'), fullPage: true });

      await page.goto(`${base}/book`).catch(() => undefined);
      await page.getByRole('heading', { name: 'Немає зв’язку з інтернетом' }).waitFor();
      await page.screenshot({ path: shot('portal-offline-book-390x844') });
      await context.setOffline(false);
    }, 90_000);

    it('no page error and no CSP violation', () => {
      expect(errors).toEqual([]);
    });
  },
);
