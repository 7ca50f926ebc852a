import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt, ROOT } from './browser-support.js';

/**
 * SPEC §1: the national admin changes a global policy value in the console: the confirmation
 * says what the change affects, the value applies at once, and the history names who changed it
 * and why. Axe clean, photographed for the README.
 */
const NOW = '2026-11-23T07:00:00Z';
const SHOTS = resolve(ROOT, 'docs/screenshots');

describe.runIf(hasChromium)('national policy values in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  async function open(cookie: string, path: string): Promise<Page> {
    const opened = await openAt(browser, base, path, {
      viewport: { width: 1366, height: 900 },
      cookie,
      contexts,
      errors,
      allConsoleErrors: true,
    });
    return opened.page;
  }

  beforeAll(async () => {
    await buildWeb();
    mkdirSync(SHOTS, { recursive: true });
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await h.ctx.db
      .insertInto('staff')
      .values({ id: 'st-nat-1', center_id: null, full_name: 'Гончар Віктор', role: 'national_admin' })
      .execute();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  it('§1: a national admin raises the online limit after a confirmation that says what it affects, and sees the change with their name in the history', async () => {
    const page = await open(await staffCookie(h.app, 'national_admin'), '/admin#martial-law');
    await page.getByRole('heading', { level: 2, name: 'Загальнодержавні правила' }).waitFor();
    await expect.poll(() => page.getByTestId('policy-personOnlinePerMonth').textContent()).toBe('4');
    await page.getByRole('button', { name: 'Змінити Онлайн-записів на особу за місяць' }).click();
    await page.getByLabel(/^Нове значення/).fill('6');
    await page.getByLabel(/^Причина зміни/).fill('Зимовий пілот: більше онлайн-записів на особу');
    await page.getByRole('button', { name: 'Переглянути зміну' }).click();

    const confirm = page.getByRole('alertdialog', { name: 'Підтвердьте зміну' });
    await confirm.waitFor();
    expect(await confirm.getByTestId('policy-confirm-change').textContent()).toBe(
      '«Онлайн-записів на особу за місяць»: 4 → 6.',
    );
    expect(await confirm.textContent()).toContain('Наступні онлайн-записи кожного громадянина');
    // Nothing changes before the confirmation.
    expect(h.ctx.config.policy.personOnlinePerMonth).toBe(4);
    await expectAccessible(page, 'admin policy confirmation');
    await page.screenshot({ path: resolve(SHOTS, 'admin-national-policy-confirm.png'), fullPage: true });

    await confirm.getByRole('button', { name: 'Підтвердити зміну' }).click();
    await page.getByText('Збережено. Нове значення діє в усіх серверних процесах').waitFor();
    await expect.poll(() => page.getByTestId('policy-personOnlinePerMonth').textContent()).toBe('6');
    expect(h.ctx.config.policy.personOnlinePerMonth).toBe(6);

    const history = page.getByRole('table', { name: 'Історія змін' });
    const row = history.getByRole('row').nth(1);
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(1)).toEqual([
      'Онлайн-записів на особу за місяць',
      '4 (Типове (специфікація))',
      '6 (Змінено в консолі)',
      'Гончар Віктор',
      'Зимовий пілот: більше онлайн-записів на особу',
    ]);
    await expectAccessible(page, 'admin policy history');
    await page.screenshot({ path: resolve(SHOTS, 'admin-national-policy.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('§5: the audit log screen shows the policy change with the national admin’s name', async () => {
    const page = await open(await staffCookie(h.app, 'national_admin'), '/admin#audit');
    await page.getByRole('heading', { level: 1, name: /^Журнал аудиту/ }).waitFor();
    await page.getByLabel('Дія').selectOption({ label: 'Змінено загальнодержавне правило' });
    await page.getByRole('button', { name: 'Фільтрувати' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Змінено загальнодержавне правило' }).first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Гончар Віктор');
    expect(text).toContain('personOnlinePerMonth');
    await expectAccessible(page, 'admin audit policy change');
    expect(errors).toEqual([]);
  }, 60_000);
});
