import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/platform/kyiv-time.js';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt, ROOT } from './browser-support.js';

/**
 * SPEC §1: the center head's and the national admin's console in Chromium at 1366×768. Every
 * section opens without a console error (a list once rendered two children with one key), is
 * axe clean and is photographed for the README; back and forward move between sections; a
 * national holiday says how many registrations it hits.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const TODAY = '2026-11-23';
const SHOTS = resolve(ROOT, 'docs/screenshots');

const HEAD_SECTIONS: Array<[string, string]> = [
  ['overview', 'Огляд і тривога'],
  ['stats', 'Статистика'],
  ['center', 'Години і вихідні'],
  ['staff', 'Місця, персонал, графік'],
  ['norms', 'Норми'],
  ['capacity', 'Місця і конфлікти'],
  ['devices', 'Кіоски і табло'],
  ['block', 'Зняти блокування'],
  ['audit', 'Журнал аудиту'],
];
const NATIONAL_SECTIONS: Array<[string, string]> = [
  ['country', 'Усі центри зараз'],
  ['country-stats', 'Статистика країни'],
  ['national-norms', 'Національні норми'],
  ['national-holidays', 'Загальнодержавні вихідні'],
  ['martial-law', 'Воєнний стан і правила'],
  ['suspicion', 'Підозрілі спроби'],
  ['dead-letters', 'Недоставлені листи'],
];

describe.runIf(hasChromium)('admin console in Chromium (center head, national admin)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  async function open(cookie: string, path: string): Promise<Page> {
    const opened = await openAt(browser, base, path, {
      viewport: { width: 1366, height: 768 },
      locale: 'en-US', // an English-locale browser must still show 24-hour times
      cookie,
      contexts,
      errors,
      allConsoleErrors: true,
    });
    return opened.page;
  }

  async function section(page: Page, title: string) {
    await page.getByRole('navigation').getByRole('link', { name: title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${title}`) }).waitFor();
    await page.waitForLoadState('networkidle');
  }

  beforeAll(async () => {
    await buildWeb();
    mkdirSync(SHOTS, { recursive: true });
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 6, pool: 'terminal', minutes: 120 });
    const later = await addSlot(h.ctx.db, { day: addDays(TODAY, 3), time: '10:00', capacity: 4 });
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(41), email: 'olena@example.com' });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie },
      payload: { slotId: later, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  it('a center head opens every section without a console error, axe clean, photographed', async () => {
    const page = await open(await staffCookie(h.app, 'center_head', CENTER), '/admin');
    await page.getByRole('heading', { level: 1, name: /^Огляд і тривога/ }).waitFor();
    for (const [id, title] of HEAD_SECTIONS) {
      await section(page, title);
      expect(page.url()).toMatch(new RegExp(`#${id}$`));
      await expectAccessible(page, `admin ${id}`);
      await page.screenshot({ path: resolve(SHOTS, `admin-${id}.png`) });
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('back and forward move between sections (the section is in the URL)', async () => {
    const page = await open(await staffCookie(h.app, 'center_head', CENTER), '/admin#overview');
    await section(page, 'Статистика');
    await section(page, 'Журнал аудиту');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: /^Статистика/ }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: /^Огляд і тривога/ }).waitFor();
    await page.goForward();
    await page.getByRole('heading', { level: 1, name: /^Статистика/ }).waitFor();
    expect(page.url()).toMatch(/#stats$/);
  }, 60_000);

  it('a national admin opens every national section without a console error, axe clean, photographed', async () => {
    const page = await open(await staffCookie(h.app, 'national_admin'), '/admin');
    await page.getByRole('heading', { level: 1, name: /^Усі центри зараз/ }).waitFor();
    for (const [id, title] of NATIONAL_SECTIONS) {
      await section(page, title);
      await expectAccessible(page, `admin ${id}`);
      await page.screenshot({ path: resolve(SHOTS, `admin-national-${id}.png`) });
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('a national admin adds a national holiday and sees the conflicts it creates', async () => {
    const page = await open(await staffCookie(h.app, 'national_admin'), '/admin#national-holidays');
    await page.getByRole('heading', { level: 1, name: /^Загальнодержавні вихідні/ }).waitFor();
    page.on('dialog', (d) => void d.accept());
    await page.getByLabel('День').fill(addDays(TODAY, 3));
    await page.getByLabel('Назва').fill('День тиші');
    await page.getByRole('button', { name: 'Додати вихідний' }).click();
    await page.getByTestId('holiday-hit').getByText('Зміна зачепила 1 запис').waitFor();
    await page.screenshot({ path: resolve(SHOTS, 'admin-national-holiday-conflicts.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('the head sees the conflicted registration with the person’s name, contact and service', async () => {
    const page = await open(await staffCookie(h.app, 'center_head', CENTER), '/admin#capacity');
    const who = page.getByTestId('conflict-person').first();
    await who.waitFor();
    const text = await who.textContent();
    expect(text).toContain('Шевченко Тарас');
    expect(text).toContain('olena@example.com');
    expect(text).toContain('Реєстрація транспортного засобу');
    expect(await page.locator('body').textContent()).not.toContain(rnokpp(41));
    await expectAccessible(page, 'admin conflicts');
    await page.screenshot({ path: resolve(SHOTS, 'admin-capacity-conflicts.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a head adds a Tuesday–Saturday shift with 24-hour times in an English-locale browser, and an absence shows its effect; the audit log names the head', async () => {
    const page = await open(await staffCookie(h.app, 'center_head', CENTER), '/admin#center');
    await page.getByRole('heading', { level: 1, name: /^Години і вихідні/ }).waitFor();
    const opens = page.getByRole('textbox', { name: /^Понеділок: open$/ });
    await opens.waitFor();
    expect(await opens.inputValue()).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    expect(await page.locator('input[type="time"]').count()).toBe(0);

    await section(page, 'Місця, персонал, графік');
    await page.locator('#r-staff').selectOption('st-admin-1');
    await page.locator('#r-desk').selectOption(`${CENTER}-d2`);
    const days = page.getByRole('group', { name: 'Дні тижня' });
    await days.getByLabel('Пн').uncheck();
    await days.getByLabel('Сб').check();
    await page.getByLabel('Початок зміни').fill('9');
    await page.getByLabel('Кінець зміни').fill('1730');
    await page.getByLabel('Початок зміни').press('Tab');
    expect(await page.getByLabel('Початок зміни').inputValue()).toBe('09:00');
    expect(await page.getByLabel('Кінець зміни').inputValue()).toBe('17:30');
    await page.getByRole('button', { name: 'Додати зміну' }).click();
    await page.getByRole('cell', { name: 'Вт, Ср, Чт, Пт, Сб' }).waitFor();
    const shifts = (await h.ctx.db.selectFrom('roster_shifts').selectAll().execute()) as Array<{
      weekdays: number[];
    }>;
    expect(shifts.map((r) => r.weekdays)).toEqual([[2, 3, 4, 5, 6]]);

    await page.locator('#abs-staff').selectOption('st-admin-1');
    await page.locator('#abs-day').fill(addDays(TODAY, 1));
    await page.getByRole('button', { name: 'Позначити відсутність' }).click();
    await page
      .getByRole('table', { name: 'Відсутності працівників' })
      .getByRole('cell', { name: 'Іваненко Олена', exact: true })
      .waitFor();
    await page.getByText(/Зміна зачепила \d+ запис/).waitFor();
    await page.screenshot({ path: resolve(SHOTS, 'admin-staff-roster-absence.png'), fullPage: true });

    // The audit log names the staff member who did it (the SSO identity's name), in words.
    await section(page, 'Журнал аудиту');
    const row = page.getByRole('row').filter({ hasText: 'Додано зміну до графіка' });
    await row.waitFor();
    expect(await row.getByTestId('audit-who').textContent()).toBe('Коваль Марія (Керівник центру)');
    expect(await row.textContent()).not.toMatch(/capacity\.shift_added|\{"/);
    await page.getByLabel('Хто (ім’я або роль)').fill('Коваль');
    await page.getByLabel('Дія').selectOption('capacity.absence_added');
    await page.getByRole('button', { name: 'Фільтрувати' }).click();
    await page.getByRole('row').filter({ hasText: 'Позначено відсутність працівника' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Додано зміну до графіка' }).count()).toBe(0);
    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Експорт CSV' }).click();
    expect((await csv).suggestedFilename()).toMatch(/^e-zapys-audit-/);
    await page.screenshot({ path: resolve(SHOTS, 'admin-audit-named.png') });
    expect(errors).toEqual([]);
  }, 60_000);
});
