import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kiosk } from '../hall/hall-support.js';
import { addSlot, CENTER, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt, ROOT } from './browser-support.js';

/**
 * The head's console says what a change hits before it is made: the alert switch counts today's
 * queue (rule 7), a holiday the day's registrations (rule 8), and lifting a block first shows whom
 * it lifts, masked (rule 4). Axe clean, photographed.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const TODAY = '2026-11-23';
const LATER = '2026-11-26';
const SHOTS = resolve(ROOT, 'docs/screenshots');

describe.runIf(hasChromium)('the head’s previews before a change, in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  const blocked = rnokpp(180_018);

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
    // Two people in today's queue (kiosk), one online registration on a later day.
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 6, pool: 'terminal', minutes: 120 });
    const term = await staffCookie(h.app, 'terminal', CENTER);
    for (const seed of [1, 2]) expect((await kiosk(h.app, term, { seed })).statusCode).toBe(201);
    const later = await addSlot(h.ctx.db, { day: LATER, time: '10:00', capacity: 4 });
    const person = await citizenCookie(h.app, { rnokpp: blocked, lastName: 'Шевченко', firstName: 'Тарас' });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie: person.cookie },
      payload: { slotId: later, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);
    await h.ctx.db
      .updateTable('persons')
      .set({
        blocked_until: new Date('2026-12-20T09:30:00Z'),
        blocked_at: new Date('2026-11-20T09:30:00Z'),
        block_center_id: CENTER,
      })
      .where('id', '=', person.personId)
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

  it('rule 7: the alert switch says how many of today’s queue it pauses, before and after it is pressed', async () => {
    const page = await open(await staffCookie(h.app, 'center_head', CENTER), '/admin#overview');
    const impact = page.getByTestId('alert-impact');
    await expect.poll(() => impact.textContent()).toContain('у черзі сьогодні — 2, біля вікон зараз — 0');
    await page.getByRole('button', { name: 'Оголосити тривогу' }).click();
    await expect.poll(() => impact.textContent()).toContain('Призупинено: у черзі сьогодні — 2');
    await expectAccessible(page, 'admin alert impact');
    await page.getByRole('button', { name: 'Відбій тривоги' }).click();
    await expect.poll(() => impact.textContent()).toContain('Якщо оголосити тривогу');
    expect(errors).toEqual([]);
  }, 60_000);

  it('rule 8: a holiday says how many registrations of the day it would hit before it is added', async () => {
    const page = await open(await staffCookie(h.app, 'center_head', CENTER), '/admin#center');
    await page.getByLabel('Дата').fill(LATER);
    await expect
      .poll(() => page.getByTestId('holiday-impact').textContent())
      .toBe(
        'Записів цього дня: 1 (онлайн — 1, термінал — 0). Вихідний зробить їх конфліктами, людей буде повідомлено.',
      );
    await page.getByLabel('Дата').fill('2026-11-27');
    await expect
      .poll(() => page.getByTestId('holiday-impact').textContent())
      .toBe('Записів цього дня немає: вихідний нікого не зачепить.');
    await expectAccessible(page, 'admin holiday impact');
    expect(errors).toEqual([]);
  }, 60_000);

  it('rule 4: lifting a block first shows whom it lifts (masked), and a head of another center is told where to go', async () => {
    const page = await open(await staffCookie(h.app, 'center_head', CENTER), '/admin#block');
    await page.getByLabel('Номер документа').fill(blocked);
    await page.getByRole('button', { name: 'Перевірити особу' }).click();
    const preview = page.getByTestId('block-preview');
    await preview.waitFor();
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('******ко ****с');
    expect(text).toContain(`********${blocked.slice(8)}`);
    expect(text).toContain('ТСЦ МВС № 8041');
    expect(text).not.toContain('Шевченко');
    await expectAccessible(page, 'admin block preview');
    await page.screenshot({ path: resolve(SHOTS, 'admin-block-preview.png'), fullPage: true });
    await page.getByLabel(/Причина/).fill('Особа прийшла з довідкою з лікарні');
    await page.getByRole('button', { name: 'Зняти блокування цієї особи' }).click();
    await page.getByText('Блокування знято').waitFor();

    // Blocked again; the head of Lviv is sent to Kyiv.
    await h.ctx.db
      .updateTable('persons')
      .set({ blocked_until: new Date('2026-12-20T09:30:00Z') })
      .where('id_hash', '=', h.ctx.crypto.hash('rnokpp', blocked))
      .execute();
    const other = await open(await staffCookie(h.app, 'center_head', OTHER_CENTER), '/admin#block');
    await other.getByLabel('Номер документа').fill(blocked);
    await other.getByRole('button', { name: 'Перевірити особу' }).click();
    await expect
      .poll(() => other.getByTestId('block-elsewhere').textContent())
      .toContain('ТСЦ МВС № 8041 (м. Київ, вул. Тестова, 1)');
    await expectAccessible(other, 'admin block elsewhere');
    // The refusal itself is a 403 the browser logs; nothing else may fail.
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
  }, 60_000);
});
