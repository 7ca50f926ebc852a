import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt, ROOT } from './browser-support.js';

/**
 * A hall board set up like a kiosk (SPEC §1 hall): the center head issues a board key in the
 * console, which shows the 8-character code and a QR of `/board/?activate=CODE`; the board at
 * 1920×1080 without a device session shows its setup screen, takes the typed code and becomes the
 * board of that center; the link opens it directly; a spent code is refused on the screen.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const SHOTS = resolve(ROOT, 'docs/screenshots');
const BOARD = { width: 1920, height: 1080 };

describe.runIf(hasChromium)('board setup by activation code at 1920×1080 (Chromium)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  const open = async (path: string, viewport = BOARD, cookie?: string): Promise<Page> =>
    (await openAt(browser, base, path, { viewport, cookie, contexts, errors })).page;

  /** The console issues a board key: the code shown, the QR and link of the board's setup. */
  async function issueBoardKey(label: string): Promise<{ code: string; link: string }> {
    const admin = await open(
      '/admin',
      { width: 1366, height: 900 },
      await staffCookie(h.app, 'center_head', CENTER),
    );
    await admin.getByRole('link', { name: 'Кіоски і табло', exact: true }).click();
    await admin.getByLabel('Вид пристрою').selectOption('board');
    await admin.getByLabel('Назва (де стоїть)').fill(label);
    await admin.getByRole('button', { name: 'Видати ключ' }).click();
    const shown = ((await admin.getByTestId('activation-code').textContent()) ?? '').trim();
    expect(shown).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const qr = admin.getByRole('img', { name: /QR-код посилання для активації табло/ });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const link = ((await admin.getByTestId('activation-link').textContent()) ?? '').replace(/^[^:]+:\s*/, '');
    expect(link).toBe(`${base}/board/?activate=${shown.replace('-', '')}`);
    await expect.poll(() => admin.getByText(/На табло відкрийте посилання з QR-коду/).count()).toBe(1);
    await expectAccessible(admin, 'admin devices with a board activation code');
    mkdirSync(SHOTS, { recursive: true });
    await admin.screenshot({ path: resolve(SHOTS, 'admin-devices-board-activation-code.png') });
    await admin.context().close();
    return { code: shown.replace('-', ''), link };
  }

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  it('a board without a device session shows its setup screen, takes the typed code and shows its center', async () => {
    const { code } = await issueBoardKey('Табло в залі очікування');
    const page = await open('/board/');
    const field = page.getByLabel('Код активації');
    await field.waitFor();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Табло не налаштовано');
    // The TV's keyboard (or remote) types the code as the console shows it, with its dash.
    await field.pressSequentially(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`);
    await expectAccessible(page, 'board setup');
    // Everything on one 1080p screen: nothing below the fold.
    // Everything on one 1080p screen: nothing below the fold, the demo activation included.
    const fits = await page.evaluate(() => {
      const main = document.querySelector('main');
      return main ? main.scrollHeight <= main.clientHeight && main.clientHeight <= window.innerHeight : false;
    });
    expect(fits, 'the setup screen fits 1920×1080').toBe(true);

    await page.screenshot({ path: resolve(SHOTS, 'board-setup-1920x1080.png') });
    await page.getByRole('button', { name: 'Активувати табло', exact: true }).click();
    await page.getByRole('heading', { name: 'Запрошуються' }).waitFor();
    expect(page.url()).toContain(`center=${CENTER}`);
    expect(page.url()).not.toContain('activate=');
    await expect.poll(() => page.locator('.b-center').textContent()).toBe('ТСЦ МВС № 8041');
    const session = await page.evaluate(() => fetch('/auth/session').then((r) => r.json()));
    expect(session).toMatchObject({ authenticated: true, role: 'board', centerId: CENTER });
    // Reloaded without the center in the address, the device session still names its center.
    await page.goto(`${base}/board/`);
    await page.getByRole('heading', { name: 'Запрошуються' }).waitFor();
    await expectAccessible(page, 'board after activation');
  }, 120_000);

  it('the QR’s link opens the board directly; the spent code, opened again, is refused on the setup screen', async () => {
    const { link } = await issueBoardKey('Табло біля входу');
    const page = await open(link.replace(base, ''));
    await page.getByRole('heading', { name: 'Запрошуються' }).waitFor();
    expect(page.url()).toContain(`center=${CENTER}`);
    const again = await open(link.replace(base, ''));
    await again.getByText('Код активації невідомий, прострочений або вже використаний.').waitFor();
    await expect
      .poll(() => again.getByRole('heading', { level: 1 }).textContent())
      .toBe('Табло не налаштовано');
    await expectAccessible(again, 'board setup with a refused code');
    expect(errors).toEqual([]);
  }, 120_000);
});
