import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas } from '../../src/identity/idgovua/idgovua-personas.js';
import { kiosk } from '../hall/hall-support.js';
import { addSlot, CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import {
  buildWeb,
  expectAccessible,
  hasChromium,
  launch,
  screenshotPath,
  watchErrors,
} from './browser-support.js';

/**
 * A whole day in the center through real Chromium: a citizen signs in
 * through ID.GOV.UA, books online and sees it in "my registrations"; he comes in person and
 * registers at the kiosk with a priority category; the operator signs in by SSO and calls the
 * priority ticket first; the board shows and announces it; the head switches an alert on and
 * off; the operator marks served; the head issues and revokes a kiosk key; the citizen rates
 * the visit. axe-core checks every surface.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
/** The citizen of the day: an ID.GOV.UA emulator persona, who later also comes to the kiosk. */
const CITIZEN = personas.find((p) => p.id === 'individual') as (typeof personas)[number];
const TOMORROW = '2026-11-24';

describe.runIf(hasChromium)('a whole day through the web surfaces (Chromium)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'uk-UA', timezoneId: 'Europe/Kyiv' });
    await context.clock.setFixedTime(new Date(NOW));
    // Record what the board says aloud (headless Chromium has no voices).
    await context.addInitScript(() => {
      const spoken: string[] = [];
      (window as unknown as { __spoken: string[] }).__spoken = spoken;
      Object.defineProperty(window, 'speechSynthesis', {
        configurable: true,
        value: { speak: (u: { text: string }) => spoken.push(u.text), getVoices: () => [], cancel: () => {} },
      });
    });
    contexts.push(context);
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.goto(base + path);
    return page;
  }

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await addSlot(h.ctx.db, { day: TOMORROW, time: '10:00', capacity: 3, pool: 'online' });
    await addSlot(h.ctx.db, { day: TOMORROW, time: '11:30', capacity: 2, pool: 'online' });
    await addSlot(h.ctx.db, {
      day: '2026-11-23',
      time: '08:30',
      capacity: 10,
      pool: 'terminal',
      minutes: 60,
    });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    h.ctx.config.publicUrl = base; // redirects are built from PUBLIC_URL: here, where it listens
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  let citizen: Page;
  let board: Page;
  let operator: Page;
  let admin: Page;
  let priorityNumber = '';

  it('serves the surfaces with the right caching and a strict CSP', async () => {
    const html = await fetch(`${base}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const body = await html.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(body)?.[1];
    expect(asset).toBeTruthy();
    const js = await fetch(base + asset);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['/kiosk', '/board', '/operator', '/admin', '/my', '/operator/anything']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain('text/html');
    }
    // The portal's first load is at most 200 KB of JavaScript (gzip).
    const { gzipSync } = await import('node:zlib');
    const scripts = [...body.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    let gz = 0;
    for (const s of scripts) gz += gzipSync(Buffer.from(await (await fetch(base + s)).arrayBuffer())).length;
    console.log(`first-load JavaScript of /: ${(gz / 1024).toFixed(1)} KB gzip in ${scripts.length} files`);
    expect(gz).toBeLessThanOrEqual(200 * 1024);
    const sw = await fetch(`${base}/sw.js`);
    expect(sw.headers.get('service-worker-allowed')).toBe('/');
    const manifest = await (await fetch(`${base}/manifest.webmanifest`)).json();
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(
      expect.arrayContaining(['192x192', '512x512']),
    );
  });

  it('a citizen signs in, books online through the calendar and sees it in "my registrations"', async () => {
    const page = await open('/');
    citizen = page;
    await page.getByRole('heading', { name: 'Запис до сервісного центру МВС' }).waitFor();
    await page.getByText('Реєстрація транспортного засобу').first().waitFor();
    await page.screenshot({ path: screenshotPath('portal-1-landing'), fullPage: true });
    await expectAccessible(page, 'portal landing');

    await page.getByRole('link', { name: 'Увійти', exact: true }).click();
    // Electronic identification through the bundled ID.GOV.UA emulator (the real OAuth2 redirects).
    await page.getByRole('link', { name: 'Увійти через ID.GOV.UA' }).click();
    await page.getByRole('heading', { name: 'Оберіть тестову особу' }).waitFor();
    await page.getByRole('button', { name: new RegExp(CITIZEN.label) }).click();
    await page.getByRole('heading', { name: 'Мої записи' }).waitFor();
    await page.getByText('Мої ліміти цього місяця').waitFor();

    await page.getByRole('link', { name: 'Новий запис' }).click();
    await page.getByRole('button', { name: /Реєстрація транспортного засобу/ }).click();
    await page.getByRole('heading', { name: 'Оберіть сервісний центр' }).waitFor();
    await page.getByText('5 вільних місць на найближчі 7 днів').waitFor();
    await page.screenshot({ path: screenshotPath('portal-2-centers'), fullPage: true });
    await expectAccessible(page, 'portal centers');
    await page.getByRole('button', { name: /ТСЦ МВС № 8041/ }).click();

    await page.getByRole('heading', { name: 'Оберіть день' }).waitFor();
    const day = page.getByRole('button', { name: /24 листопада.*5 місць/ });
    await day.waitFor();
    await page.screenshot({ path: screenshotPath('portal-3-calendar'), fullPage: true });
    await expectAccessible(page, 'portal calendar');
    await day.click();

    await page.getByRole('heading', { name: 'Оберіть час' }).waitFor();
    await page.getByRole('button', { name: /10:00/ }).click();
    await page.getByRole('heading', { name: 'Перевірте і підтвердіть' }).waitFor();
    await expectAccessible(page, 'portal confirm');
    await page.getByRole('button', { name: 'Підтвердити запис' }).click();

    await page.getByText('Ви записані!').waitFor({ timeout: 20_000 });
    const number = await page.locator('.ticket-number').textContent();
    expect(Number(number)).toBeGreaterThanOrEqual(1000);
    await page.getByRole('img', { name: /QR-код/ }).waitFor();
    await page.screenshot({ path: screenshotPath('portal-4-confirmation'), fullPage: true });
    await expectAccessible(page, 'portal confirmation');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Додати в календар/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.ics$/);

    await page.getByRole('link', { name: 'Мої записи' }).last().click();
    const list = page.getByRole('list', { name: 'Найближчі візити' });
    await list.getByText('Реєстрація транспортного засобу').waitFor();
    await expect(list.getByText(String(number))).toBeTruthy();
    await page.getByText(/Скасувати можна до/).waitFor();
    await page.getByText('1 з 4').waitFor();
    await page.screenshot({ path: screenshotPath('portal-5-my-registrations'), fullPage: true });
    await expectAccessible(page, 'portal my registrations');

    // The installed app: once the service worker controls the page, "my registrations" opens offline.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await list.getByText('Реєстрація транспортного засобу').waitFor();
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await page.context().setOffline(true);
    await page.reload();
    await page.getByText('Ви не в мережі').waitFor();
    await page
      .getByRole('list', { name: 'Найближчі візити' })
      .getByText('Реєстрація транспортного засобу')
      .waitFor();
    await page.screenshot({ path: screenshotPath('portal-6-offline'), fullPage: true });
    await page.context().setOffline(false);
    await page.reload();
    await page.getByRole('heading', { name: 'Мої записи' }).waitFor();

    // English is one click away, and the choice sticks (cookie `lang`).
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'My registrations' }).waitFor();
    await page.screenshot({ path: screenshotPath('portal-7-english'), fullPage: true });

    // Cancelling: the 2-hour rule is stated before, a confirmation asked, the place given back.
    await page.getByText(/You can cancel until/).waitFor();
    await page.getByRole('button', { name: 'Cancel registration' }).click();
    await page.getByRole('alertdialog').getByText('Cancel this registration?').waitFor();
    await expectAccessible(page, 'portal cancel confirmation');
    await page.getByRole('button', { name: 'Yes, cancel' }).click();
    await page.getByRole('list', { name: 'History' }).getByText('Cancelled').waitFor();
    await page.getByText('No upcoming visits.').waitFor();
  });

  it('the board shows the hall before any call', async () => {
    board = await open(`/board?center=${CENTER}`, { width: 1920, height: 1080 });
    await board.getByText('ТСЦ МВС № 8041').waitFor();
    await board.getByText('Онлайн').waitFor();
    await expectAccessible(board, 'board');
  });

  it('a visitor registers at the kiosk (portrait) with a priority category', async () => {
    // A regular visitor registered a minute earlier: the priority one must still come first.
    const term = await staffCookie(h.app, 'terminal', CENTER);
    const regular = await kiosk(h.app, term, { seed: 1 });
    expect(regular.statusCode).toBe(201);

    const page = await open(`/kiosk?center=${CENTER}`, { width: 1080, height: 1920 });
    await page.getByRole('heading', { name: 'Термінал не активовано' }).waitFor();
    await expectAccessible(page, 'kiosk setup');
    await page.getByLabel('Сервісний центр').selectOption(CENTER);
    await page.getByRole('button', { name: 'Активувати термінал (демо)' }).click();
    await page.getByRole('button', { name: 'Стати в чергу' }).waitFor();
    await page.screenshot({ path: screenshotPath('kiosk-1-start-portrait') });
    await expectAccessible(page, 'kiosk start');

    await page.getByRole('button', { name: 'Стати в чергу' }).click();
    await page.getByRole('button', { name: /Реєстрація транспортного засобу/ }).click();
    // Today's free times; the nearest is chosen unless the visitor picks another.
    await page.getByRole('heading', { name: 'Оберіть час' }).waitFor();
    await page.getByRole('button', { name: /Далі/ }).click();
    await page.getByRole('button', { name: /Самостійно/ }).click();
    // The citizen who booked online comes in person. Her surname is typed on the on-screen
    // keyboard, by touch alone; one field per step.
    const osk = (k: string) => page.locator('.osk .osk-key', { hasText: new RegExp(`^${k}$`) }).first();
    await page.getByLabel('Прізвище').waitFor();
    for (const k of ['Ш', 'Е', 'В', 'Ч', 'Е', 'Н', 'К', 'О']) await osk(k).click();
    await expect(await page.getByLabel('Прізвище').inputValue()).toBe('Шевченко');
    await page.screenshot({ path: screenshotPath('kiosk-2-person-portrait') });
    await expectAccessible(page, 'kiosk person');
    await page.getByRole('button', { name: /Далі/ }).click();
    await page.getByLabel('Ім’я').fill('Тарас');
    await page.getByRole('button', { name: /Далі/ }).click();
    await page.getByRole('button', { name: /Пропустити/ }).click(); // no patronymic
    await page.getByLabel(/РНОКПП, 10 цифр/).fill(CITIZEN.user.drfocode ?? '');
    await page.getByRole('button', { name: /Далі/ }).click();
    await page.getByLabel('Телефон (необов’язково)').waitFor();
    await page.getByRole('button', { name: /Далі/ }).click();
    await page.getByLabel(/Електронна пошта/).fill('taras.hall@example.com');
    await page.getByRole('button', { name: /Далі/ }).click();

    await page.getByRole('radio', { name: /Особа з інвалідністю/ }).click();
    await page.getByLabel(/Номер документа/).fill('МСЕК 123456');
    await expectAccessible(page, 'kiosk priority');
    await page.getByRole('button', { name: 'Отримати номер' }).click();
    const ticket = page.getByTestId('ticket-number');
    await ticket.waitFor();
    priorityNumber = ((await ticket.textContent()) ?? '').trim();
    expect(Number(priorityNumber)).toBeLessThan(1000); // priority tickets are numbered from 1
    await page.getByText('Пріоритетна черга').waitFor();
    await page.getByText('taras.hall@example.com').waitFor();
    await page.screenshot({ path: screenshotPath('kiosk-3-ticket-portrait') });
    await expectAccessible(page, 'kiosk ticket');

    // Nobody touches the screen for 30 seconds: back to the start, the data gone.
    await page.context().clock.setFixedTime(new Date(Date.parse(NOW) + 31_000));
    await page.getByRole('button', { name: 'Стати в чергу' }).waitFor();
    await expect(page.getByText('taras.hall@example.com').count()).resolves.toBe(0);

    // Landscape 1920×1080 as well.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('button', { name: 'Стати в чергу' }).click();
    await page.getByRole('button', { name: /Реєстрація транспортного засобу/ }).click();
    await page.getByRole('heading', { name: 'Оберіть час' }).waitFor();
    await page.getByRole('button', { name: /Далі/ }).click();
    await page.getByRole('button', { name: /Самостійно/ }).click();
    await page.screenshot({ path: screenshotPath('kiosk-4-person-landscape') });
  });

  it('the operator calls the priority ticket first; the board shows and announces it', async () => {
    operator = await open('/operator');
    await page_login_operator(operator);
    await operator.getByRole('button', { name: /Вікно 1/ }).click();
    await operator.getByRole('button', { name: 'Викликати наступного' }).click();
    const current = operator.getByTestId('current-number');
    await current.waitFor();
    expect((await current.textContent())?.trim()).toBe(priorityNumber);
    await operator.getByText('Дані для звірки з документом').waitFor();
    await operator.getByText('Шевченко').first().waitFor();
    await operator.getByText(/Пріоритет: Особа з інвалідністю/).waitFor();
    await operator.screenshot({ path: screenshotPath('operator-1-current'), fullPage: true });
    await expectAccessible(operator, 'operator');

    await board.locator('.b-number', { hasText: new RegExp(`^${priorityNumber}$`) }).waitFor();
    const text = `Талон номер ${priorityNumber}, вікно 1`;
    await board.getByTestId('announcement').getByText(text).waitFor();
    await expect
      .poll(() => board.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken))
      .toContain(text);
    await board.screenshot({ path: screenshotPath('board-1-called') });
  });

  it('the center head switches an alert on and off; board and operator follow', async () => {
    admin = await open('/admin');
    await admin.getByLabel('Сервісний центр').selectOption(CENTER);
    await admin.getByRole('button', { name: 'Увійти як керівник центру (демо)' }).click();
    await admin.getByRole('button', { name: 'Оголосити тривогу' }).click();
    await admin
      .getByTestId('alert-state')
      .getByText(/Увімкнено/)
      .waitFor();
    await admin.screenshot({ path: screenshotPath('admin-1-alert-on'), fullPage: true });
    await expectAccessible(admin, 'admin overview');

    await board.getByText('ПОВІТРЯНА ТРИВОГА').waitFor();
    await board.screenshot({ path: screenshotPath('board-2-alert') });
    await operator.getByText('Повітряна тривога: виклик призупинено').waitFor({ timeout: 15_000 });
    await operator.screenshot({ path: screenshotPath('operator-2-paused'), fullPage: true });

    await admin.getByRole('button', { name: 'Відбій тривоги' }).click();
    await admin
      .getByTestId('alert-state')
      .getByText(/Вимкнено/)
      .waitFor();
    await board.getByText('ПОВІТРЯНА ТРИВОГА').waitFor({ state: 'detached' });

    for (const [tab, name] of [
      ['stats', 'Статистика'],
      ['center', 'Години і вихідні'],
      ['staff', 'Місця, персонал, графік'],
      ['norms', 'Норми'],
      ['capacity', 'Місця і конфлікти'],
      ['devices', 'Кіоски і табло'],
      ['block', 'Зняти блокування'],
      ['audit', 'Журнал аудиту'],
    ] as const) {
      await admin.getByRole('link', { name, exact: true }).click();
      await admin.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
      await admin.waitForLoadState('networkidle');
      await admin.screenshot({ path: screenshotPath(`admin-${tab}`), fullPage: true });
      await expectAccessible(admin, `admin ${tab}`);
    }
    await admin.getByRole('link', { name: 'Журнал аудиту', exact: true }).click();
    await admin.getByRole('cell', { name: 'Запис створено' }).first().waitFor(); // actions read in Ukrainian
  });

  it('the operator marks the visitor served', async () => {
    await operator
      .getByText('Повітряна тривога: виклик призупинено')
      .waitFor({ state: 'detached', timeout: 15_000 });
    await operator.getByRole('button', { name: 'Обслуговано' }).click();
    await operator.getByText(`Талон ${priorityNumber}: обслуговано.`).waitFor();
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select(['status'])
      .where('number', '=', Number(priorityNumber))
      .where('priority_category', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('served');
    await operator.screenshot({ path: screenshotPath('operator-3-served'), fullPage: true });
  });

  it('the head issues a kiosk in the console, a new kiosk is activated with its short code, and revoking it signs the kiosk out', async () => {
    await admin.getByRole('link', { name: 'Кіоски і табло', exact: true }).click();
    await admin.getByLabel('Вид пристрою').selectOption('terminal');
    await admin.getByLabel('Назва (де стоїть)').fill('Кіоск біля входу');
    await admin.getByRole('button', { name: 'Видати ключ' }).click();
    // The head reads the short activation code (8 characters, shown as ABCD-EFGH) to the kiosk.
    const code = ((await admin.getByTestId('activation-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await admin.getByRole('cell', { name: 'Кіоск біля входу' }).waitFor();
    await admin.screenshot({ path: screenshotPath('admin-devices-issued'), fullPage: true });
    await expectAccessible(admin, 'admin devices, key issued');

    const kioskPage = await open('/kiosk', { width: 1080, height: 1920 });
    await kioskPage.getByRole('heading', { name: 'Термінал не активовано' }).waitFor();
    await kioskPage.getByLabel('Код активації').fill(code);
    await kioskPage.getByRole('button', { name: 'Активувати термінал', exact: true }).click();
    await kioskPage.getByRole('button', { name: 'Стати в чергу' }).waitFor();
    expect(new URL(kioskPage.url()).searchParams.get('center')).toBe(CENTER);

    await admin.getByRole('button', { name: 'Діє — відкликати' }).click();
    await admin.getByRole('button', { name: 'Так, відкликати' }).click();
    await admin.getByText('Ключ відкликано: пристрій вийшов із системи.').waitFor();
    await admin.getByRole('cell', { name: 'Відкликано' }).waitFor();
    await kioskPage.reload();
    await kioskPage.getByRole('heading', { name: 'Термінал не активовано' }).waitFor();
  });

  it('the citizen rates his served visit from "my registrations"', async () => {
    // The priority visitor the operator served above is the citizen of the portal (same РНОКПП):
    // the kiosk visit is his, and "my registrations" shows it.
    const visit = await h.ctx.db
      .selectFrom('registrations')
      .select('id')
      .where('number', '=', Number(priorityNumber))
      .where('priority_category', 'is not', null)
      .executeTakeFirstOrThrow();
    await citizen.goto(`${base}/my`);
    // He switched to English in the first step; back to Ukrainian.
    await citizen.getByRole('button', { name: 'Українська' }).click();
    await citizen.getByRole('link', { name: 'Оцінити візит' }).click();
    await citizen.getByRole('heading', { name: 'Оцініть візит' }).waitFor();
    await expectAccessible(citizen, 'portal rating');
    await citizen.getByRole('button', { name: 'Надіслати оцінку' }).click();
    await citizen.getByText('Оберіть оцінку від 1 до 5.').waitFor();
    await citizen.getByRole('radio', { name: /Відмінно/ }).check();
    await citizen.getByLabel('Коментар (необов’язково)').fill('Швидко і ввічливо');
    await citizen.screenshot({ path: screenshotPath('portal-8-rating'), fullPage: true });
    await citizen.getByRole('button', { name: 'Надіслати оцінку' }).click();
    await citizen.getByRole('heading', { name: 'Дякуємо за оцінку!' }).waitFor();
    const rating = await h.ctx.db
      .selectFrom('feedback')
      .select(['rating', 'comment'])
      .where('registration_id', '=', visit.id)
      .executeTakeFirstOrThrow();
    expect(rating).toEqual({ rating: 5, comment: 'Швидко і ввічливо' });
  });

  it('no page had an uncaught error or a CSP violation', () => {
    expect(errors).toEqual([]);
  });
});

async function page_login_operator(page: Page) {
  await page.getByRole('heading', { name: 'Робоче місце адміністратора' }).waitFor();
  await expectAccessible(page, 'operator login');
  // Staff single sign-on through the bundled OIDC server (code + PKCE), as in production.
  await page.getByRole('link', { name: 'Увійти (єдиний вхід працівника)' }).click();
  await page.getByRole('button', { name: /Іваненко Олена/ }).click();
  await page.getByRole('heading', { name: 'Оберіть своє робоче місце' }).waitFor();
}
