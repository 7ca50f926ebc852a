import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNext, DESK, kiosk, outcome, post } from '../hall/hall-support.js';
import { addSlot, CENTER, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, ROOT, watchErrors } from './browser-support.js';

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

describe.runIf(hasChromium)('board at 1920×1080 and portal on a phone (Chromium)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  async function open(path: string, viewport: { width: number; height: number }, cookie?: string) {
    const context = await browser.newContext({ viewport, locale: 'uk-UA', timezoneId: 'Europe/Kyiv' });
    await context.clock.setFixedTime(new Date(NOW));
    if (cookie) {
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: base }]);
    }
    contexts.push(context);
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.goto(base + path);
    return { page, context };
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
    await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 4, pool: 'online', group: GROUP.licence });
    await addSlot(h.ctx.db, { day: TOMORROW, time: '10:00', capacity: 3, pool: 'online' });
    await addSlot(h.ctx.db, { day: TOMORROW, time: '11:30', capacity: 2, pool: 'online' });
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

  it('no page error and no CSP violation', () => {
    expect(errors).toEqual([]);
  });
});
