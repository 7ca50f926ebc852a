import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { bookOnline } from './notify-fixtures.js';

describe.each(testDatabases())('rule 10: demo mailbox on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    // Demo mode (not production) and no SMTP_URL: the in-process SMTP server receives the mail.
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('rule 10: a booking confirmation arrives in /dev/mailbox over real SMTP', async () => {
    const mailbox = await h.ctx.notify.startDevMailbox();
    expect(mailbox.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    expect(h.ctx.surfaces('http://localhost:3100')).toContainEqual([
      'Demo mailbox',
      'http://localhost:3100/dev/mailbox',
    ]);
    // Delivered one after the other, so that "newest first" below has a defined order.
    const b = await bookOnline(h, { time: '10:00', email: 'demo@example.com' });
    expect(await h.ctx.notify.worker.drain()).toBe(1);
    await bookOnline(h, { time: '11:00', email: 'second@example.com' });
    expect(await h.ctx.notify.worker.drain()).toBe(1);

    const json = await h.app.inject({ url: '/dev/mailbox.json' });
    expect(json.statusCode).toBe(200);
    const mails = json.json() as Array<{
      id: number;
      to: string[];
      subject: string;
      text: string;
      html: string;
      attachments: Array<{ filename: string; contentType: string; content: string }>;
    }>;
    expect(mails).toHaveLength(2);
    const mine = mails.find((m) => m.to[0] === 'demo@example.com');
    if (!mine) throw new Error('no mail for demo@example.com');
    expect(mine.subject).toBe(`Запис підтверджено: № ${b.number}, 25.11.2026 10:00, ТСЦ МВС № 8041`);
    expect(mine.text).toContain('Що взяти з собою');
    expect(mine.html).toContain('<h1');
    expect(mine.attachments[0]).toMatchObject({ filename: 'zapys.ics', contentType: 'text/calendar' });
    // Newest first.
    expect(mails[0]?.id).toBeGreaterThan(mails[1]?.id ?? 0);

    const list = await h.app.inject({ url: '/dev/mailbox' });
    expect(list.headers['content-type']).toMatch(/text\/html/);
    expect(list.body).toContain('<html lang="uk">');
    expect(list.body).toContain('Демо-поштова скринька');
    expect(list.body).toContain(`№ ${b.number}`);
    expect(list.body.indexOf('second@example.com')).toBeLessThan(list.body.indexOf('demo@example.com'));

    const page = await h.app.inject({ url: `/dev/mailbox/${mine.id}` });
    expect(page.body).toContain('<iframe title="HTML-версія листа" sandbox="" srcdoc="');
    // The message's HTML is escaped into the attribute, never inlined as markup.
    expect(page.body).not.toContain('<h1 style="font-size:22px');
    const ics = await h.app.inject({ url: `/dev/mailbox/${mine.id}/attachments/0` });
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.headers['content-disposition']).toBe('attachment; filename="zapys.ics"');
    expect(ics.body).toContain(`UID:${b.registrationId}`);
    expect((await h.app.inject({ url: `/dev/mailbox/${mine.id}/attachments/5` })).statusCode).toBe(404);
  });
});
