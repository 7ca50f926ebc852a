import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRoster } from '../capacity/capacity-support.js';
import { CENTER, declareExams, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt, ROOT } from './browser-support.js';

/**
 * Rule 8 in the head's console: removing a roster shift that would leave registrations without a
 * place first says how many (a dry run on the server, nothing kept); cancelling keeps the shift,
 * confirming removes it and the registrations become conflicts.
 */
const NOW = '2026-11-24T08:00:00Z'; // Tuesday 10:00 in Kyiv
const DAY = '2026-11-26';

describe.runIf(hasChromium)('the roster change previewed in the console (Chromium)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await seedRoster(h.ctx.db);
    await declareExams(h.ctx.db, { [CENTER]: { B: 1 } });
    await h.ctx.capacity.releaseDue();
    const slots = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${DAY}` })
    ).json() as Array<{ id: number }>;
    for (let i = 0; i < 2; i++) {
      const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(2700 + i) });
      const booked = await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie, 'idempotency-key': `roster-preview-${i}` },
        payload: { slotId: slots[i]?.id, serviceId: SERVICE.vehicle },
      });
      expect(booked.statusCode, booked.body).toBe(201);
    }
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  it('rule 8: removing the vehicle administrator’s shift asks first, naming the 2 registrations it would hit', async () => {
    const head = await staffCookie(h.app, 'center_head', CENTER);
    const { page } = await openAt(browser, base, '/admin#staff', {
      viewport: { width: 1366, height: 900 },
      deviceNow: NOW,
      cookie: head,
      contexts,
      errors,
    });
    const card = page
      .locator('section.card')
      .filter({ has: page.getByRole('heading', { name: 'Графік роботи' }) });
    const row = card.getByRole('row').filter({ hasText: 'Іваненко Олена' });
    await row.waitFor();

    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await row.getByRole('button', { name: 'Прибрати' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toBe(
      'Ця зміна графіка залишить без місця 2 записи: людям напишуть, записи з’являться серед конфліктів. Продовжити?',
    );
    // Dismissed: the shift stays and nothing became a conflict.
    expect(await h.ctx.db.selectFrom('capacity_conflicts').select('id').execute()).toHaveLength(0);
    await expect.poll(() => row.count()).toBe(1);

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Прибрати' }).click();
    await page.getByText('Зміну прибрано.', { exact: false }).first().waitFor();
    expect(await h.ctx.db.selectFrom('capacity_conflicts').select('id').execute()).toHaveLength(2);
    await expectAccessible(page, 'admin roster after a previewed change');
    expect(errors).toEqual([]);
  }, 90_000);

  it('§2 exams: the head gives the center 3 cars of B and takes C on with 1, by the norms screen', async () => {
    const head = await staffCookie(h.app, 'center_head', CENTER);
    const { page } = await openAt(browser, base, '/admin#norms', {
      viewport: { width: 1366, height: 900 },
      deviceNow: NOW,
      cookie: head,
      contexts,
      errors,
    });
    const b = page.getByLabel('Автомобілів категорії B');
    await expect.poll(() => b.inputValue()).toBe('1');
    await b.fill('3');
    await page.getByLabel('Автомобілів категорії C').fill('1');
    await page.getByRole('button', { name: 'Зберегти категорії' }).click();
    await page.getByText('Збережено: категорії та автомобілі центру змінено.').waitFor();
    const rows = await h.ctx.db
      .selectFrom('center_exam_categories')
      .select(['category', 'cars'])
      .where('center_id', '=', CENTER)
      .orderBy('category')
      .execute();
    expect(rows).toEqual([
      { category: 'B', cars: 3 },
      { category: 'C', cars: 1 },
    ]);
    await expectAccessible(page, 'admin exam cars');
    await page.screenshot({ path: resolve(ROOT, 'docs/screenshots/admin-exam-cars.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 90_000);
});
