import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, openAt } from './browser-support.js';

/**
 * Rule 8 and rule 12 on the portal (390×844, Chromium): the wizard asks the server for the chosen
 * vehicle category's places (/availability and /slots with &category=), so a day whose category
 * is full is not offered even though its slots still have places; "wait for a place" sends the
 * category (the wizard's, else asked as the wizard asks it).
 *
 * CENTER examines B and C with one car each, the examiner norm is 4: on a day of one online slot
 * of 4 and one terminal slot of 4, each category has 2 online places.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 in Kyiv
const FULL_DAY = '2026-11-27';
const OPEN_DAY = '2026-11-30';

describe.runIf(hasChromium)('portal: exam places and waits by vehicle category (rules 8, 12)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  const open = async (path: string, cookie: string, urls: string[]): Promise<Page> =>
    (
      await openAt(browser, base, path, {
        viewport: { width: 390, height: 844 },
        deviceNow: NOW,
        cookie,
        contexts,
        errors,
        beforeGo: (page) => page.on('request', (r) => urls.push(r.url())),
      })
    ).page;
  const dayButton = (page: Page, day: string) =>
    page
      .locator('button.cal-day')
      .filter({ has: page.locator('.cal-date', { hasText: new RegExp(`^${Number(day.slice(8))}`) }) });

  beforeAll(async () => {
    await buildWeb();
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await h.ctx.db
      .updateTable('services')
      .set({ exam_categories: ['B', 'C'] })
      .where('id', '=', SERVICE.practical)
      .execute();
    await h.ctx.db
      .insertInto('center_exam_categories')
      .values([
        { center_id: CENTER, category: 'B', cars: 1 },
        { center_id: CENTER, category: 'C', cars: 1 },
      ])
      .execute();
    await h.ctx.db
      .insertInto('norms')
      .values({ center_id: CENTER, group_id: GROUP.practical, role: 'examiner', per_day: 4 })
      .execute();
    for (const day of [FULL_DAY, OPEN_DAY]) {
      await addSlot(h.ctx.db, { group: GROUP.practical, day, time: '09:00', capacity: 4 });
      await addSlot(h.ctx.db, { group: GROUP.practical, day, time: '12:00', capacity: 4, pool: 'terminal' });
    }
    // B's two online places of FULL_DAY are taken; its slot still has two places (for C).
    const slot = await h.ctx.db
      .selectFrom('slots')
      .select('id')
      .where('day', '=', FULL_DAY)
      .where('pool', '=', 'online')
      .executeTakeFirstOrThrow();
    for (const n of [1, 2]) {
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(4300 + n) });
      const res = await h.client.book({ cookie: p.cookie }, {
        slotId: Number(slot.id),
        serviceId: SERVICE.practical,
        examCategory: 'B',
      } as never);
      expect(res.statusCode, res.body).toBe(201);
    }
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

  it('rule 8: the calendar and the times of category B offer nothing on the day B is full; C still has it', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(4311) });
    const urls: string[] = [];
    const page = await open(
      `/book/day?service=${SERVICE.practical}&center=${CENTER}&category=B`,
      p.cookie,
      urls,
    );
    await page.getByRole('heading', { name: 'Оберіть день' }).waitFor();
    await expect.poll(() => dayButton(page, OPEN_DAY).isEnabled()).toBe(true);
    expect(await dayButton(page, FULL_DAY).isDisabled()).toBe(true);
    expect(urls.some((u) => u.includes('/availability?') && u.includes('category=B'))).toBe(true);
    await page.goto(
      `${base}/book/time?service=${SERVICE.practical}&center=${CENTER}&day=${FULL_DAY}&category=B`,
    );
    await page.getByRole('heading', { name: 'Оберіть час' }).waitFor();
    await expect.poll(() => urls.some((u) => u.includes('/slots?') && u.includes('category=B'))).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.time-btn').count()).toBe(0);
    // The same day for C: its time is offered.
    await page.goto(
      `${base}/book/time?service=${SERVICE.practical}&center=${CENTER}&day=${FULL_DAY}&category=C`,
    );
    await page.locator('.time-btn').first().waitFor();
    expect(errors).toEqual([]);
  });

  it('rule 12: "wait for a place" sends the wizard’s category, or asks it when the wizard has none', async () => {
    const withCategory = await citizenCookie(h.app, { rnokpp: rnokpp(4312) });
    const page = await open(
      `/book/day?service=${SERVICE.practical}&center=${CENTER}&category=B`,
      withCategory.cookie,
      [],
    );
    await page.getByTestId('wait-category').getByText('Категорія B').waitFor();
    await page.getByRole('button', { name: 'Чекати на місце' }).click();
    await page.getByText('Ви в списку очікування').waitFor();
    const waitOf = (personId: string) =>
      h.ctx.db
        .selectFrom('waits')
        .select('exam_category')
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow();
    expect((await waitOf(withCategory.personId)).exam_category).toBe('B');

    const without = await citizenCookie(h.app, { rnokpp: rnokpp(4313) });
    const asked = await open(`/book/day?service=${SERVICE.practical}&center=${CENTER}`, without.cookie, []);
    const join = asked.getByRole('button', { name: 'Чекати на місце' });
    await join.waitFor();
    // No category yet: it cannot be sent without one.
    expect(await join.isDisabled()).toBe(true);
    await asked.locator('#wait-title').locator('..').getByRole('button', { name: 'C', exact: true }).click();
    await expectAccessible(asked, 'portal wait with exam category');
    await join.click();
    await asked.getByText('Ви в списку очікування').waitFor();
    expect((await waitOf(without.personId)).exam_category).toBe('C');
    expect(errors).toEqual([]);
  });
});
