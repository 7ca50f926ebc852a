import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKyiv } from '../../src/platform/kyiv-time.js';
import { seedRoster } from '../capacity/capacity-support.js';
import { CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { buildWeb, expectAccessible, hasChromium, launch, ROOT, watchErrors } from './browser-support.js';

/**
 * SPEC rule 8 in Chromium: a head's holiday hits a booking; in the console the head offers
 * another time; the person opens the e-mail's link (from the demo mailbox) in another browser
 * context, sees what will happen, confirms; the confirmation mail brings the new time and the
 * head's console shows the conflict resolved.
 */
const NOW = '2026-11-24T08:00:00Z'; // Tuesday 10:00 in Kyiv
const HIT = '2026-11-26';
const SHOTS = resolve(ROOT, 'docs/screenshots');

interface Mail {
  id: number;
  to: string[];
  subject: string;
  text: string;
}

describe.runIf(hasChromium)('conflict offer in Chromium (center head, citizen by e-mail)', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  async function open(
    path: string,
    options: { cookie?: string; width: number; height: number },
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width, height: options.height },
      locale: 'uk-UA',
      timezoneId: 'Europe/Kyiv',
    });
    if (options.cookie) {
      const [name, value] = options.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: base }]);
    }
    contexts.push(context);
    const page = await context.newPage();
    watchErrors(page, errors);
    // The console must log no error; the link pages answer 404/410 on purpose (no script there).
    if (options.cookie)
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console ${page.url()}: ${m.text()}`);
      });
    await page.goto(base + path);
    return page;
  }

  async function mailbox(): Promise<Mail[]> {
    await h.ctx.notify.worker.drain();
    return (await h.app.inject({ url: '/dev/mailbox.json' })).json() as Mail[];
  }

  beforeAll(async () => {
    await buildWeb();
    mkdirSync(SHOTS, { recursive: true });
    h = await createHarness('pglite', { now: NOW });
    await seedCatalog(h.ctx.db);
    await seedRoster(h.ctx.db);
    await h.ctx.capacity.releaseDue();
    await h.ctx.notify.startDevMailbox();
    const slots = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${HIT}` })
    ).json() as Array<{ id: number }>;
    const { cookie } = await citizenCookie(h.app, {
      rnokpp: rnokpp(4242),
      email: 'olena.koval@example.com',
      lastName: 'Коваль',
      firstName: 'Олена',
    });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, 'idempotency-key': 'browser-conflict-offer' },
      payload: { slotId: slots[2]?.id, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);
    await mailbox(); // the booking confirmation
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  it("a head moves a conflicted registration and the person's e-mail arrives with the new time", async () => {
    const head = await open('/admin#center', {
      cookie: await staffCookie(h.app, 'center_head', CENTER),
      width: 1366,
      height: 900,
    });
    // The head closes the center on the booked day: the booking becomes a conflict.
    await head.locator('#h-day').fill(HIT);
    await head.locator('#h-name').fill('Ремонт приміщення');
    await head.getByRole('button', { name: 'Додати вихідний' }).click();
    await head.getByText('Ремонт приміщення').first().waitFor();

    await head.getByRole('navigation').getByRole('link', { name: 'Місця і конфлікти', exact: true }).click();
    const item = head.locator('li.conflict').filter({ hasText: 'Коваль Олена' });
    await item.waitFor();
    await item.getByRole('button', { name: 'Запропонувати інший час' }).click();
    const boxes = item.getByRole('checkbox');
    await boxes.first().waitFor();
    // Two times of the first free day, chosen by their visible label.
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expectAccessible(head, 'admin conflict offer panel');
    await head.screenshot({ path: resolve(SHOTS, 'admin-conflict-offer.png'), fullPage: true });
    await item.getByRole('button', { name: 'Надіслати пропозицію' }).click();
    await item.getByText('Пропозицію надіслано на e-mail людини').waitFor();
    const state = item.getByTestId('offer-state');
    await state.getByText('надіслано, чекає відповіді').first().waitFor();
    expect(await state.getByText('надіслано, чекає відповіді').count()).toBe(2);

    // The person's mailbox: the offer with one link per time.
    const offerMail = (await mailbox()).find((m) => m.subject.startsWith('Оберіть інший час'));
    if (!offerMail) throw new Error('no offer mail');
    expect(offerMail.to).toEqual(['olena.koval@example.com']);
    const paths = [...offerMail.text.matchAll(/https?:\/\/[^/\s]+(\/conflict-offer\/[\w.-]+)/g)].map(
      (m) => m[1] as string,
    );
    expect(paths).toHaveLength(2);

    // Another browser (the person's phone): the mail, then its first link.
    const person = await open(`/dev/mailbox/${offerMail.id}`, { width: 390, height: 844 });
    await person.getByText('Оберіть інший час').first().waitFor();
    await person.goto(base + (paths[0] as string));
    await person.getByRole('heading', { level: 1, name: 'Перенести запис на інший час?' }).waitFor();
    const offered = (await person.getByTestId('offered-time').textContent()) ?? '';
    expect(offered).toMatch(/^\d\d\.\d\d\.2026 \d\d:\d\d/);
    await expectAccessible(person, 'conflict offer link page');
    await person.screenshot({ path: resolve(SHOTS, 'conflict-offer-link-390x844.png'), fullPage: true });
    await person.getByRole('button', { name: 'Підтвердити перенесення' }).click();
    await person.getByRole('heading', { level: 1, name: 'Запис перенесено' }).waitFor();
    const newTime = offered.slice(0, 16);
    expect(await person.getByTestId('moved-time').textContent()).toContain(newTime);
    await expectAccessible(person, 'conflict offer moved page');
    await person.screenshot({ path: resolve(SHOTS, 'conflict-offer-moved-390x844.png'), fullPage: true });

    // The confirmation mail with the new time (and .ics).
    const moved = (await mailbox()).find((m) => m.subject.startsWith('Запис перенесено'));
    if (!moved) throw new Error('no moved mail');
    expect(moved.to).toEqual(['olena.koval@example.com']);
    expect(moved.subject).toContain(newTime);
    const reg = await h.ctx.db
      .selectFrom('registrations')
      .select(['starts_at', 'move_count', 'status'])
      .executeTakeFirstOrThrow();
    expect(formatKyiv(new Date(reg.starts_at))).toBe(newTime);
    expect([reg.status, reg.move_count]).toEqual(['booked', 0]);

    // The second link is dead now: a clear Ukrainian page.
    await person.goto(base + (paths[1] as string));
    await person.getByRole('heading', { level: 1, name: 'Пропозиція більше не діє' }).waitFor();

    // The head's console: the conflict is resolved, moved by the offer.
    await head.reload();
    const resolved = head.getByTestId('conflict-resolved').filter({ hasText: 'Коваль Олена' });
    await resolved.waitFor();
    expect(await resolved.textContent()).toContain('перенесено за пропозицією');
    expect(await resolved.textContent()).toContain(`Перенесено на ${newTime}`);
    expect(await head.locator('li.conflict').filter({ hasText: 'Коваль Олена' }).count()).toBe(0);
    await expectAccessible(head, 'admin conflict resolved');
    await head.getByTestId('conflicts-resolved').scrollIntoViewIfNeeded();
    await head.screenshot({ path: resolve(SHOTS, 'admin-conflict-resolved.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
