import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edrpouControlDigit } from '../../src/identity/identifiers.js';
import { addSlot, CENTER, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import {
  buildWeb,
  expectAccessible,
  hasChromium,
  launch,
  openAt,
  ROOT,
  watchErrors,
} from './browser-support.js';

/**
 * SPEC §2 and rule 13 on the 1080×1920 portrait kiosk, by touch only, in Chromium: a legal
 * entity's representative switches on "Для юридичної особи (ЄДРПОУ)", types the ЄДРПОУ (a wrong
 * control digit is marked on its own step) and the entity's name, then their own data, and the
 * ticket names the entity; a practical exam asks the vehicle category (only those this center
 * examines) before the time; the portal's confirmation draws the signed arrival code, which the
 * kiosk's "У мене є запис" accepts. Every control tapped lies inside the screen.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const TODAY = '2026-11-23';
const TOMORROW = '2026-11-24';
const W = 1080;
const H = 1920;
const SHOTS = resolve(ROOT, 'docs/screenshots');
const shot = (name: string, size = '1080x1920') => {
  mkdirSync(SHOTS, { recursive: true });
  return resolve(SHOTS, `${name}-${size}.png`);
};
const edrpou = (first7: string) => first7 + String(edrpouControlDigit(`${first7}0`));
const ENTITY_CODE = edrpou('3812345');
const ENTITY_NAME = 'ТОВ «АВТОЛЮКС»';

describe.runIf(hasChromium)('kiosk at 1080×1920 by touch: legal entity, exam category, check-in QR', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  /** A kiosk of CENTER signed in, on a portrait touch screen; its device clock at `at`. */
  async function openKiosk(at: string): Promise<Page> {
    const { page } = await openAt(browser, base, `/kiosk/?center=${CENTER}`, {
      viewport: { width: W, height: H },
      hasTouch: true,
      deviceNow: at,
      cookie: await staffCookie(h.app, 'terminal', CENTER),
      contexts,
      errors,
    });
    await page.getByRole('button', { name: 'Стати в чергу' }).waitFor();
    return page;
  }

  /** Touch helpers on one kiosk page. */
  function touch(page: Page) {
    async function tap(target: Locator) {
      const box = await target.boundingBox();
      expect(box, 'tapped element is rendered').not.toBeNull();
      if (!box) return;
      expect(box.y, 'above the top').toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, 'below the fold').toBeLessThanOrEqual(H + 0.5);
      await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    }
    const button = (name: string | RegExp) =>
      page.getByRole('button', { name, exact: typeof name === 'string' });
    const key = (k: string) =>
      page.locator('.osk .osk-key', { hasText: new RegExp(`^${k.replace(/[.+()\\]/g, '\\$&')}$`) }).first();
    /** Types on the on-screen keyboard (capitals as its keys show them; a space by its key). */
    async function type(text: string) {
      for (const ch of text) {
        if (ch === ' ') await tap(page.locator('.osk .osk-key.space'));
        else await tap(key(/[А-ЯІЇЄҐ]/i.test(ch) ? ch.toUpperCase() : ch));
      }
    }
    /** The keyboard's last row and the step's "next" button are inside the screen; nothing scrolls. */
    async function fitsScreen() {
      for (const el of [page.locator('.osk .osk-row').last(), button(/Далі|Пропустити/)]) {
        const box = await el.boundingBox();
        expect(box).not.toBeNull();
        if (box) expect(box.y + box.height).toBeLessThanOrEqual(H + 0.5);
      }
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(H);
    }
    /** The representative's (or visitor's) own data: surname, name, no patronymic, РНОКПП, e-mail. */
    async function personData(seed: number, email: string) {
      await page.getByLabel('Прізвище').waitFor();
      await fitsScreen();
      await type('Коваленко');
      await tap(button(/Далі/));
      await page.getByLabel('Ім’я').waitFor();
      await type('Іван');
      await tap(button(/Далі/));
      await tap(button(/Пропустити/));
      await page.getByLabel('РНОКПП, 10 цифр').waitFor();
      for (const d of rnokpp(seed)) await tap(key(d));
      await tap(button(/Далі/));
      await page.getByLabel('Телефон (необов’язково)').waitFor();
      await tap(button(/Далі/));
      await page.getByLabel('Електронна пошта (для талона)').waitFor();
      for (const ch of email) await tap(key(ch));
      await tap(button(/Далі/));
    }
    return { tap, button, key, type, fitsScreen, personData };
  }

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    // Practical exams: categories B, C and CE; this center has cars for B and C, not CE.
    await h.ctx.db
      .updateTable('services')
      .set({ exam_categories: ['B', 'C', 'CE'] })
      .where('id', '=', SERVICE.practical)
      .execute();
    await h.ctx.db
      .insertInto('center_exam_categories')
      .values([
        { center_id: CENTER, category: 'B' },
        { center_id: CENTER, category: 'C' },
      ])
      .execute();
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'terminal' });
    await addSlot(h.ctx.db, {
      group: GROUP.practical,
      day: TODAY,
      time: '11:00',
      capacity: 2,
      pool: 'terminal',
    });
    await addSlot(h.ctx.db, { day: TOMORROW, time: '10:00', capacity: 3, pool: 'online' });
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

  it('§2 legal entities: a representative registers the entity by touch (ЄДРПОУ checked as typed) and the ticket names it', async () => {
    const page = await openKiosk(NOW);
    const { tap, button, key, type, fitsScreen, personData } = touch(page);
    await tap(button('Стати в чергу'));
    await tap(button('Реєстрація транспортного засобу'));
    await page.getByRole('radio', { name: /Найближчий/ }).waitFor();
    await tap(button(/Далі/));
    await tap(button(/Самостійно/));

    // The first data step carries the switch; off, it is the visitor's own registration.
    const toggle = page.getByRole('switch', { name: 'Для юридичної особи (ЄДРПОУ)' });
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('крок 1 з 6');
    await tap(toggle);
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('крок 1 з 8');

    // ЄДРПОУ: a wrong control digit is marked on this very step, as soon as the 8th digit is typed.
    const code = page.getByLabel('Код ЄДРПОУ, 8 цифр');
    await code.waitFor();
    await fitsScreen();
    const bad = ENTITY_CODE.slice(0, 7) + String((Number(ENTITY_CODE[7]) + 1) % 10);
    for (const d of bad) await tap(key(d));
    await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('контрольна цифра');
    await expectAccessible(page, 'kiosk ЄДРПОУ error');
    await page.screenshot({ path: shot('kiosk-entity-edrpou-error') });
    await tap(button(/Далі/));
    expect(await code.count()).toBe(1); // refused: still on the ЄДРПОУ step
    await tap(page.getByRole('button', { name: 'Стерти' }));
    await tap(key(ENTITY_CODE[7] as string));
    await expect.poll(() => code.getAttribute('aria-invalid')).toBeNull();
    expect(await code.inputValue()).toBe(ENTITY_CODE);
    await tap(button(/Далі/));

    // The entity's name: capitals as typed, with the quotes a company name has.
    const name = page.getByLabel('Назва юридичної особи');
    await name.waitFor();
    await fitsScreen();
    await type(ENTITY_NAME);
    expect(await name.inputValue()).toBe(ENTITY_NAME);
    await expectAccessible(page, 'kiosk entity name');
    await page.screenshot({ path: shot('kiosk-entity-name') });
    await tap(button(/Далі/));

    // Then the representative: the heading says whose data these are.
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('Дані представника');
    await page.screenshot({ path: shot('kiosk-entity-representative') });
    await personData(4343, 'rep@example.com');

    await page.getByRole('heading', { name: 'Чи належите ви до пільгової категорії?' }).waitFor();
    await tap(button('Отримати номер'));
    const entity = page.getByTestId('ticket-entity');
    await entity.waitFor();
    expect(await entity.textContent()).toBe(`Для юридичної особи: ${ENTITY_NAME} (ЄДРПОУ ${ENTITY_CODE})`);
    expect(await page.getByTestId('ticket-number').textContent()).toBe('1000');
    await expectAccessible(page, 'kiosk entity ticket');
    await page.screenshot({ path: shot('kiosk-entity-ticket') });
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select(['legal_entity', 'channel'])
      .where('number', '=', 1000)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ legal_entity: ENTITY_CODE, channel: 'terminal' });
    await tap(button('Готово'));
    expect(errors).toEqual([]);
  }, 180_000);

  it('§2 exams: the kiosk asks the vehicle category of a practical exam, only those this center examines, before the time', async () => {
    const page = await openKiosk(NOW);
    const { tap, button, personData } = touch(page);
    await tap(button('Стати в чергу'));
    await tap(button('Практичний іспит'));
    await page.getByRole('heading', { name: 'Оберіть категорію транспортного засобу' }).waitFor();
    const choices = page.locator('.k-exam-cats .k-choice .k-choice-title');
    // CE is a category of the exam, but this center has no CE car: not offered.
    expect(await choices.allTextContents()).toEqual(['B', 'C']);
    await expectAccessible(page, 'kiosk exam category');
    await page.screenshot({ path: shot('kiosk-exam-category') });
    await tap(button(/^B\b/));
    await page.getByRole('heading', { name: 'Оберіть час' }).waitFor();
    await expect.poll(() => page.locator('.k-lead').first().textContent()).toContain('Категорія B');
    await tap(button(/Далі/));
    await tap(button(/Самостійно/));
    await personData(4444, 'exam@example.com');
    await tap(button('Отримати номер'));
    const category = page.getByTestId('ticket-category');
    await category.waitFor();
    expect(await category.textContent()).toBe('Категорія B — Легкові автомобілі');
    await expectAccessible(page, 'kiosk exam ticket');
    await page.screenshot({ path: shot('kiosk-exam-ticket') });
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select(['exam_category', 'channel'])
      .where('service_id', '=', SERVICE.practical)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ exam_category: 'B', channel: 'terminal' });
    expect(errors).toEqual([]);
  }, 180_000);

  it('rule 13: the portal confirmation draws the signed arrival code, and the kiosk checks in with it on the day', async () => {
    const citizen = await citizenCookie(h.app, { rnokpp: rnokpp(4545), email: 'qr@example.com' });
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'uk-UA',
      timezoneId: 'Europe/Kyiv',
    });
    contexts.push(phone);
    await phone.clock.setFixedTime(new Date(NOW));
    await phone.addCookies([{ name: 'ezs', value: citizen.token, url: base }]);
    const portal = await phone.newPage();
    watchErrors(portal, errors);
    await portal.goto(`${base}/book/time?service=${SERVICE.vehicle}&center=${CENTER}&day=${TOMORROW}`);
    await portal.locator('.time-btn').first().click();
    await portal.getByRole('button', { name: 'Підтвердити запис' }).click();
    await portal.waitForURL(/\/book\/done/);
    const qr = portal.getByTestId('check-in-qr');
    await qr.waitFor();
    const mine = (
      await h.app.inject({ url: '/api/v1/me/bookings', headers: { cookie: citizen.cookie } })
    ).json() as Array<{ id: string; checkInCode: string | null }>;
    const code = mine[0]?.checkInCode as string;
    expect(code).toMatch(/^EZ1[A-Za-z0-9_-]{22}20261124[A-Za-z0-9_-]{16}$/);
    // The picture is exactly the QR of that code (never the old "EZAPYS:id:number").
    const svg = await QRCode.toString(code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    expect(await qr.getAttribute('src')).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    await expectAccessible(portal, 'portal confirmation with check-in QR');
    await portal.screenshot({ path: shot('portal-confirmation-check-in-qr', '390x844') });

    // On the day the kiosk's scanner "types" the code into its field and presses Enter.
    h.clock.set('2026-11-24T07:30:00Z');
    const page = await openKiosk('2026-11-24T07:30:00Z');
    const { tap, button } = touch(page);
    await tap(button('У мене є запис'));
    const field = page.getByLabel('QR-код запису (сканер уводить його сюди сам)');
    await field.focus();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await page.getByTestId('checked-in-number').waitFor();
    expect(await page.getByTestId('checked-in-number').textContent()).toBe('1000');
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('id', '=', mine[0]?.id as string)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('arrived');
    expect(errors).toEqual([]);
  }, 180_000);
});
