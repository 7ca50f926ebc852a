import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt, ROOT } from './browser-support.js';

/**
 * Citizens' flows of SPEC §2 and rule 3 on a 390×844 phone in Chromium, by the portal's own
 * screens: a signer of a company books for it (the entity's limit, not the person's), a practical
 * exam is booked by vehicle category at a center that examines it, a registration is moved.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const PHONE = { width: 390, height: 844 };
const ENTITY = { edrpou: '14360570', name: 'ТОВ «Автолюкс-Київ»' };
const SHOTS = resolve(ROOT, 'docs/screenshots');
const shot = (name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  return resolve(SHOTS, `${name}.png`);
};

describe.runIf(hasChromium)('citizen flows on a phone (Chromium): legal entity, exam category, move', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  const open = async (path: string, cookie: string): Promise<Page> =>
    (await openAt(browser, base, path, { viewport: PHONE, deviceNow: NOW, cookie, contexts, errors })).page;

  /** The day step: the first day with places; then the first free time. */
  async function pickDayAndTime(page: Page) {
    await page.getByRole('heading', { name: 'Оберіть день' }).waitFor();
    const day = page.locator('button.cal-day:not([disabled])').first();
    await day.waitFor();
    await day.click();
    await page.getByRole('heading', { name: 'Оберіть час' }).waitFor();
    await page.locator('.time-btn').first().click();
  }

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await h.ctx.db
      .insertInto('legal_entities')
      .values({ ...ENTITY, created_at: new Date(NOW) })
      .execute();
    // Practical exams: categories B and C; the Kyiv center is a hub with a B car, Lviv examines C only.
    await h.ctx.db
      .updateTable('services')
      .set({ exam_categories: ['B', 'C'] })
      .where('id', '=', SERVICE.practical)
      .execute();
    await h.ctx.db
      .insertInto('center_exam_categories')
      .values([
        { center_id: CENTER, category: 'B' },
        { center_id: OTHER_CENTER, category: 'C' },
      ])
      .execute();
    for (const day of ['2026-11-25', '2026-11-26']) {
      await addSlot(h.ctx.db, { day, time: '10:00', capacity: 3 });
      await addSlot(h.ctx.db, { day, time: '11:00', capacity: 3 });
    }
    await addSlot(h.ctx.db, { group: GROUP.practical, day: '2026-11-27', time: '09:00', capacity: 2 });
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

  it('legal entity: a signer books "для моєї компанії"; it counts against the company, and "my registrations" names it', async () => {
    const signer = await citizenCookie(h.app, { rnokpp: rnokpp(4101), legalEntity: ENTITY });
    const page = await open(
      `/book/time?service=${SERVICE.vehicle}&center=${CENTER}&day=2026-11-25`,
      signer.cookie,
    );
    await page.locator('.time-btn').first().click();
    await page.getByRole('heading', { name: 'Перевірте і підтвердіть' }).waitFor();
    await page.getByText('Ліміт компанії: 4 онлайн-записи на день').waitFor();
    await page.getByLabel(/Для моєї компанії: ТОВ «Автолюкс-Київ», ЄДРПОУ 14360570/).check();
    await page.getByTestId('entity-summary').waitFor();
    await expectAccessible(page, 'portal legal-entity confirm');
    await page.screenshot({ path: shot('portal-entity-390x844'), fullPage: false });
    await page.getByRole('button', { name: 'Підтвердити запис' }).click();
    await page.waitForURL(/\/book\/done/);
    const me = (await h.app.inject({ url: '/api/v1/me', headers: { cookie: signer.cookie } })).json();
    // Never silently against the person: the person's own month is untouched.
    expect(me.limits.online.used).toBe(0);
    expect(me.entityLimits.usedOnline).toEqual([{ day: '2026-11-25', used: 1 }]);
    await page.goto(`${base}/my`);
    await page.getByTestId('booking-entity').getByText('ТОВ «Автолюкс-Київ»').waitFor();
  });

  it('exam category: the portal asks the category first, lists only the centers examining it, and books it', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(4102) });
    const page = await open(`/book/center?service=${SERVICE.practical}`, p.cookie);
    await page.getByText('Категорія транспортного засобу').waitFor();
    // Before a category is chosen no center is offered.
    expect(await page.locator('.center-list li').count()).toBe(0);
    await page.getByRole('button', { name: 'B', exact: true }).click();
    await page.waitForURL(/category=B/);
    await page.locator('.center-list li').first().waitFor();
    expect(await page.locator('.center-list li').allTextContents()).toEqual([
      expect.stringContaining('ТСЦ МВС № 8041'),
    ]);
    await expectAccessible(page, 'portal exam category');
    await page.screenshot({ path: shot('portal-exam-390x844') });
    await page.locator('.center-list li button').first().click();
    await pickDayAndTime(page);
    await page.getByText('Категорія транспортного засобу').waitFor();
    await page.getByRole('button', { name: 'Підтвердити запис' }).click();
    await page.waitForURL(/\/book\/done/);
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select('exam_category')
      .where('person_id', '=', p.personId)
      .executeTakeFirstOrThrow();
    expect(row.exam_category).toBe('B');
  });

  it('move: "Перенести" in "my registrations" picks a new time in the booking calendar; the same registration moves', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(4103) });
    const slotId = await addSlot(h.ctx.db, { day: '2026-11-26', time: '15:00', capacity: 1 });
    const booked = (await h.client.book({ cookie: p.cookie }, { slotId })).json();
    const page = await open('/my', p.cookie);
    await page.getByRole('link', { name: 'Перенести' }).click();
    await page.getByTestId('move-banner').waitFor();
    await page.locator('.center-list li button', { hasText: 'ТСЦ МВС № 8041' }).click();
    await pickDayAndTime(page);
    await page.getByRole('button', { name: 'Перенести на цей час' }).click();
    await page.getByRole('status').getByText('Запис перенесено', { exact: true }).waitFor();
    await expectAccessible(page, 'portal moved');
    await page.screenshot({ path: shot('portal-move-390x844') });
    const mine = (await h.app.inject({ url: '/api/v1/me/bookings', headers: { cookie: p.cookie } })).json();
    const moved = mine.find((b: { id: string }) => b.id === booked.id);
    expect(moved).toMatchObject({ moves: 1, status: 'booked' });
    expect(moved.startsAt).not.toBe(booked.startsAt);
    expect(mine).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
