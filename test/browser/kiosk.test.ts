import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineToday } from '../hall/hall-support.js';
import { addSlot, CENTER, GROUP, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, ROOT, watchErrors } from './browser-support.js';

/**
 * The kiosk on a 1080×1920 portrait touch screen, in Chromium, by touch only: activation with
 * the short code from the admin console, a service from the grouped list, a chosen time, the
 * person's data one field per screen (a wrong РНОКПП is marked on its own step), the ticket with
 * its desks; then "У мене є запис": check-in by number + surname. Every control tapped lies
 * inside the screen: nothing is below the fold, the keyboard and "Далі" included.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const TODAY = '2026-11-23';
const W = 1080;
const H = 1920;
const SHOTS = resolve(ROOT, 'docs/screenshots');
const shot = (name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  return resolve(SHOTS, `kiosk-${name}-1080x1920.png`);
};

/** Services as the live catalogue has them: eleven in four groups. */
const MORE_SERVICES = [
  ['svc-vehicle-new', 'Державна реєстрація нового транспортного засобу', GROUP.vehicle],
  [
    'svc-vehicle-reregister',
    'Перереєстрація транспортного засобу у зв’язку зі зміною власника',
    GROUP.vehicle,
  ],
  ['svc-vehicle-deregister', 'Зняття транспортного засобу з обліку', GROUP.vehicle],
  ['svc-vehicle-duplicate', 'Видача дубліката свідоцтва про реєстрацію', GROUP.vehicle],
  ['svc-licence-first', 'Отримання посвідчення водія після навчання', GROUP.licence],
  ['svc-licence-restore', 'Відновлення втраченого посвідчення водія', GROUP.licence],
  ['svc-licence-international', 'Видача міжнародного посвідчення водія', GROUP.licence],
] as const;

/** A Cyrillic/Latin word as the on-screen keyboard's keys (it shows capitals, sends lower case after the first). */
const keysOf = (word: string) => [...word.toUpperCase()];

describe.runIf(hasChromium)('kiosk at 1080×1920 by touch (Chromium)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  /** Taps the element's centre with a finger; it must be fully on the screen (no scrolling). */
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
    page.locator('.osk .osk-key', { hasText: new RegExp(`^${k.replace(/[.+]/g, '\\$&')}$`) }).first();
  async function type(word: string) {
    for (const k of keysOf(word)) await tap(key(k === '@' || k === '.' || k === '_' ? k : k));
  }
  /** The on-screen keyboard's last row and the step's "next" button are inside the screen. */
  async function fitsScreen(next: Locator) {
    const lastRow = page.locator('.osk .osk-row').last();
    for (const el of [lastRow, next]) {
      const box = await el.boundingBox();
      expect(box).not.toBeNull();
      if (box) expect(box.y + box.height).toBeLessThanOrEqual(H + 0.5);
    }
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(H);
  }

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await h.ctx.db
      .insertInto('services')
      .values(MORE_SERVICES.map(([id, name, group]) => ({ id, code: id.slice(4), name, group_id: group })))
      .execute();
    await addSlot(h.ctx.db, { day: TODAY, time: '09:30', capacity: 2, pool: 'terminal' });
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 3, pool: 'terminal' });
    await addSlot(h.ctx.db, { day: TODAY, time: '10:30', capacity: 1, pool: 'terminal' });
    await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 4, pool: 'terminal' });
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '09:20', capacity: 4, pool: 'online' });
    await onlineToday(h, online, 1); // ticket 1000, surname Шевченко (the citizen fixture)
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launch();
    context = await browser.newContext({
      viewport: { width: W, height: H },
      hasTouch: true,
      locale: 'uk-UA',
      timezoneId: 'Europe/Kyiv',
    });
    // The device's clock is a week off: every time shown must still be the server's.
    await context.clock.setFixedTime(new Date(Date.parse(NOW) - 7 * 86_400_000));
    page = await context.newPage();
    watchErrors(page, errors);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  it('activation by the 8-character code from the admin console, typed on the on-screen keyboard', async () => {
    // The head's console (a desktop browser) shows the code and a QR of the activation link.
    const [name, value] = (await staffCookie(h.app, 'center_head', CENTER)).split('=') as [string, string];
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    await desk.addCookies([{ name, value, url: base }]);
    const admin = await desk.newPage();
    watchErrors(admin, errors);
    await admin.goto(`${base}/admin`);
    await admin.getByRole('link', { name: 'Кіоски і табло', exact: true }).click();
    await admin.getByLabel('Вид пристрою').selectOption('terminal');
    await admin.getByLabel('Назва (де стоїть)').fill('Кіоск біля входу');
    await admin.getByRole('button', { name: 'Видати ключ' }).click();
    const shown = ((await admin.getByTestId('activation-code').textContent()) ?? '').trim();
    expect(shown).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const qr = admin.getByRole('img', { name: /QR-код посилання для активації/ });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expectAccessible(admin, 'admin devices with activation code');
    await admin.screenshot({ path: resolve(SHOTS, 'admin-devices-activation-code.png') });
    await desk.close();
    const code = shown.replace('-', '');
    await page.goto(`${base}/kiosk/`);
    await page.getByLabel('Код активації').waitFor();
    for (const ch of code) await tap(key(/\d/.test(ch) ? ch : ch.toLowerCase()));
    await expect.poll(() => page.getByLabel('Код активації').inputValue()).toBe(code);
    await expectAccessible(page, 'kiosk setup');
    await page.screenshot({ path: shot('setup') });
    await tap(button('Активувати термінал'));
    await button('Стати в чергу').waitFor();
    expect(page.url()).toContain(`center=${CENTER}`);
    await expectAccessible(page, 'kiosk start');
    await page.screenshot({ path: shot('start') });
  }, 120_000);

  it('registration: all services grouped on one screen, a chosen time, one field per step, the ticket with its desks', async () => {
    await tap(button('Стати в чергу'));
    await page.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
    for (const name of [
      'Реєстраційні операції з ТЗ',
      'Посвідчення водія',
      'Теоретичний іспит',
      'Практичний іспит',
    ])
      await expect.poll(() => page.getByRole('heading', { name, level: 2 }).count()).toBe(1);
    const services = page.locator('.k-group .k-choice');
    expect(await services.count()).toBe(11);
    await page.screenshot({ path: shot('services') });
    for (let i = 0; i < 11; i++) {
      const box = await services.nth(i).boundingBox();
      expect(box && box.y + box.height <= H).toBe(true);
    }
    await expectAccessible(page, 'kiosk services');
    await page.screenshot({ path: shot('services') });

    await tap(button('Реєстрація транспортного засобу'));
    await page.getByRole('heading', { name: 'Оберіть час' }).waitFor();
    const nearest = page.getByRole('radio', { name: /Найближчий: 09:30/ });
    await nearest.waitFor();
    expect(await nearest.getAttribute('aria-checked')).toBe('true');
    await expectAccessible(page, 'kiosk time');
    await page.screenshot({ path: shot('time') });
    await tap(page.getByRole('radio', { name: /^10:30/ }));
    expect(await page.getByRole('radio', { name: /^10:30/ }).getAttribute('aria-checked')).toBe('true');
    await tap(button(/Далі/));
    await tap(button(/Самостійно/));

    // Surname: the keyboard and "Далі" fit the screen.
    await page.getByLabel('Прізвище').waitFor();
    await fitsScreen(button(/Далі/));
    await type('Коваленко');
    expect(await page.getByLabel('Прізвище').inputValue()).toBe('Коваленко');
    await expectAccessible(page, 'kiosk surname');
    await page.screenshot({ path: shot('surname') });
    await tap(button(/Далі/));
    await type('Іван');
    await tap(button(/Далі/));
    await tap(button(/Пропустити/)); // no patronymic

    // РНОКПП: a wrong control digit is marked on this very step, as soon as it is typed.
    const good = rnokpp(4242);
    const bad = good.slice(0, 9) + String((Number(good[9]) + 1) % 10);
    const id = page.getByLabel('РНОКПП, 10 цифр');
    await id.waitFor();
    await fitsScreen(button(/Далі/));
    for (const d of bad) await tap(key(d));
    await expect.poll(() => id.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('контрольна цифра');
    await expectAccessible(page, 'kiosk rnokpp error');
    await page.screenshot({ path: shot('rnokpp-error') });
    await tap(button(/Далі/));
    expect(await id.count()).toBe(1); // refused: still on the РНОКПП step
    await tap(page.getByRole('button', { name: 'Стерти' }));
    await tap(key(good[9] as string));
    await expect.poll(() => id.getAttribute('aria-invalid')).toBeNull();
    await tap(button(/Далі/));

    await page.getByLabel('Телефон (необов’язково)').waitFor();
    await tap(button(/Далі/));
    const email = page.getByLabel('Електронна пошта (для талона)');
    await email.waitFor();
    await fitsScreen(button(/Далі/));
    for (const ch of 'ivan@example.com') await tap(key(ch));
    expect(await email.inputValue()).toBe('ivan@example.com');
    await page.screenshot({ path: shot('email') });
    await tap(button(/Далі/));

    await page.getByRole('heading', { name: 'Чи належите ви до пільгової категорії?' }).waitFor();
    await tap(button('Отримати номер'));
    await page.getByTestId('ticket-number').waitFor();
    expect(await page.getByTestId('ticket-number').textContent()).toBe('1001');
    await expect.poll(() => page.locator('.k-calltime').textContent()).toContain('10:30');
    expect(await page.getByTestId('desks').textContent()).toContain('1, 2');
    await expectAccessible(page, 'kiosk ticket');
    await page.screenshot({ path: shot('ticket') });
    const reg = await h.ctx.db
      .selectFrom('registrations')
      .select(['starts_at', 'channel'])
      .where('number', '=', 1001)
      .executeTakeFirstOrThrow();
    expect(new Date(reg.starts_at).toISOString()).toBe('2026-11-23T08:30:00.000Z');
    await tap(button('Готово'));
  }, 180_000);

  it('check-in (rule 13): number + surname on the kiosk, answered with the place in the queue and the desks', async () => {
    await tap(button('У мене є запис'));
    const number = page.getByLabel('Номер запису');
    await number.waitFor();
    await tap(number);
    for (const d of '1000') await tap(key(d));
    await tap(page.getByLabel('Прізвище'));
    await type('Шевченко');
    const submit = button('Відмітитися');
    await fitsScreen(submit);
    await expectAccessible(page, 'kiosk check-in');
    await page.screenshot({ path: shot('check-in') });
    await tap(submit);
    await page.getByTestId('checked-in-number').waitFor();
    expect(await page.getByTestId('checked-in-number').textContent()).toBe('1000');
    expect(await page.getByTestId('desks').textContent()).toContain('1, 2');
    await expectAccessible(page, 'kiosk checked in');
    await page.screenshot({ path: shot('checked-in') });
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('number', '=', 1000)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('arrived');

    // The citizen's phone: "my registrations" shows that he is in the hall, with his place.
    const citizen = await citizenCookie(h.app, { rnokpp: rnokpp(9001), email: 'online1@example.com' });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'uk-UA' });
    await phone.addCookies([{ name: 'ezs', value: citizen.token, url: base }]);
    const my = await phone.newPage();
    watchErrors(my, errors);
    await my.goto(`${base}/my`);
    const live = my.getByTestId('live-position');
    await live.waitFor();
    await expect.poll(() => live.textContent()).toContain('Ви в залі.');
    expect(await live.textContent()).toContain('Перед вами в черзі: 0');
    await expectAccessible(my, 'portal my registrations, checked in');
    await my.screenshot({ path: resolve(SHOTS, 'portal-my-checked-in-390x844.png') });
    await phone.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
