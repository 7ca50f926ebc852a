import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { enqueue } from '../../src/notify/outbox-store.js';
import { CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { bookOnline, clearOutbox, DOCUMENTS, outboxRows, setDocuments } from './notify-fixtures.js';
import { parseIcs, SmtpSink } from './smtp-sink.js';

describe.each(testDatabases())('rule 10: email over SMTP on %s', (kind) => {
  let h: Harness;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // The worker polls once an hour here: a message that leaves sooner was woken by the nudge.
    h = await createHarness(kind, {
      env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://e-zapys.example', OUTBOX_POLL_MS: String(3_600_000) },
    });
    await seedCatalog(h.ctx.db);
    await setDocuments(h);
  });
  afterAll(async () => {
    await h.close();
    await sink.stop();
  });
  beforeEach(async () => {
    sink.received.length = 0;
    await clearOutbox(h);
    h.clock.set('2026-11-23T07:00:00Z');
  });

  it('rule 10: an online booking is confirmed by email with number, place, time, documents, cancel rule and .ics', async () => {
    const b = await bookOnline(h, { time: '10:00', email: 'olena@example.com' });
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent']);
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0];
    if (!mail) throw new Error('no mail');
    expect(mail.envelopeTo).toEqual(['olena@example.com']);
    expect(mail.subject).toBe(`Запис підтверджено: № ${b.number}, 25.11.2026 10:00, ТСЦ МВС № 8041`);
    expect(mail.text).toContain('Добрий день, Тарас Шевченко!');
    expect(mail.text).toContain(`Номер талона: ${b.number}`);
    expect(mail.text).toContain('Адреса: м. Київ, вул. Тестова, 1');
    expect(mail.text).toContain('Дата і час: 25.11.2026 10:00 (за київським часом)');
    for (const d of DOCUMENTS) expect(mail.text).toContain(`  - ${d}`);
    expect(mail.text).toContain('не пізніше ніж за 2 год до призначеного часу — до 25.11.2026 08:00');
    expect(mail.text).toContain('https://e-zapys.example/');
    expect(mail.html).toContain('<html lang="uk">');
    expect(mail.html).toContain('Свідоцтво про реєстрацію транспортного засобу');
    expect(mail.html).not.toMatch(/<img|<script/i);
    // No personal identifiers beyond the name.
    expect(mail.raw).not.toContain(b.idValue);

    const ics = mail.attachments.find((a) => a.contentType === 'text/calendar');
    if (!ics) throw new Error('no .ics');
    expect(ics.filename).toBe('zapys.ics');
    const event = parseIcs(ics.content);
    expect(event.get('UID')?.value).toBe(b.registrationId);
    expect(event.get('DTSTART')).toEqual({ params: 'TZID=Europe/Kyiv', value: '20261125T100000' });
    expect(event.get('DTEND')?.value).toBe('20261125T103000');
    expect(event.get('SUMMARY')?.value).toBe('ТСЦ МВС № 8041: Реєстрація транспортного засобу');
    expect(event.get('LOCATION')?.value).toBe('ТСЦ МВС № 8041\\, м. Київ\\, вул. Тестова\\, 1');
    expect(ics.content).toContain('TZID:Europe/Kyiv');

    const [row] = await outboxRows(h);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, template: 'registration_confirmed' });
    expect(row?.payload).toEqual({ registrationId: b.registrationId });
  });

  it('rule 10: English when the person chose it', async () => {
    const b = await bookOnline(h, { time: '11:00' });
    await h.ctx.db.updateTable('persons').set({ lang: 'en' }).where('id', '=', b.personId).execute();
    await h.ctx.notify.worker.runOnce();
    expect(sink.received[0]?.subject).toBe(
      `Registration confirmed: No. ${b.number}, 25.11.2026 11:00, ТСЦ МВС № 8041`,
    );
    expect(sink.received[0]?.html).toContain('<html lang="en">');
    expect(sink.received[0]?.text).toContain('What to bring');
  });

  it('rule 10: cancellation is confirmed by email', async () => {
    const b = await bookOnline(h, { time: '12:00' });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${b.registrationId}/cancel`,
      headers: { cookie: b.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(await h.ctx.notify.worker.drain()).toBe(2);
    expect(sink.inOrder().map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Запис підтверджено/),
      'Запис скасовано: 25.11.2026 12:00, ТСЦ МВС № 8041',
    ]);
  });

  it('rule 10: block, alert delay, schedule conflict, terminal ticket and lottery outcome render from ids', async () => {
    const b = await bookOnline(h, { time: '14:00' });
    await clearOutbox(h);
    const now = h.clock.now();
    const to = 'taras@example.com';
    await enqueue(h.ctx.db, now, {
      template: 'person_blocked',
      recipient: to,
      payload: { personId: b.personId, blockedUntil: '2026-12-23T07:00:00.000Z', centerId: CENTER },
    });
    await enqueue(h.ctx.db, now, {
      template: 'alert_delay',
      recipient: to,
      payload: { registrationId: b.registrationId, newCallAt: '2026-11-25T12:40:00.000Z' },
    });
    await enqueue(h.ctx.db, now, {
      template: 'schedule_conflict',
      recipient: to,
      payload: { registrationId: b.registrationId },
    });
    await enqueue(h.ctx.db, now, {
      template: 'terminal_ticket',
      recipient: to,
      payload: { registrationId: b.registrationId },
    });
    await enqueue(h.ctx.db, now, {
      template: 'lottery_lost',
      recipient: to,
      payload: {
        entryId: 'e-1',
        personId: b.personId,
        centerId: CENTER,
        serviceId: 'svc-vehicle-registration',
        day: '2026-12-14',
      },
    });
    await enqueue(h.ctx.db, now, {
      template: 'lottery_won',
      recipient: to,
      payload: { registrationId: b.registrationId },
    });
    await h.ctx.notify.worker.drain();
    const mails = sink.inOrder();
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toEqual([
      'Реєстрацію заблоковано до 23.12.2026',
      `Час виклику змінено: талон № ${b.number}, орієнтовно 14:40`,
      'Зміна розкладу центру: ваш запис на 25.11.2026 14:00',
      `Ваш електронний талон № ${b.number}`,
      'Жеребкування: цього разу місце не дісталося',
      `Запис підтверджено: № ${b.number}, 25.11.2026 14:00, ТСЦ МВС № 8041`,
    ]);
    expect(mails[0]?.text).toContain('23.12.2026 09:00 (за київським часом)');
    expect(mails[1]?.text).toContain('Новий очікуваний час виклику: 25.11.2026 14:40');
    expect(mails[3]?.text).toContain('цей лист і є вашим талоном');
    expect(mails[4]?.text).toContain('Реєстрація транспортного засобу');
    expect(mails[5]?.text).toContain('жеребкування');
    for (const m of sink.received) expect(m.raw).not.toContain(b.idValue);
  });

  it('rule 10: an unknown template goes to the dead letters with a clear error', async () => {
    await enqueue(h.ctx.db, h.clock.now(), { template: 'mystery', recipient: 'x@example.com', payload: {} });
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['dead']);
    const [row] = await outboxRows(h);
    expect(row).toMatchObject({ status: 'dead', attempts: 1, last_error: 'unknown template "mystery"' });
    expect(sink.received).toHaveLength(0);
  });

  it('rule 10: the evening reminder is enqueued once per booked online registration of tomorrow', async () => {
    const kept = await bookOnline(h, { day: '2026-11-24', time: '10:30' });
    const cancelled = await bookOnline(h, { day: '2026-11-24', time: '11:30' });
    await bookOnline(h, { day: '2026-11-25', time: '10:30' });
    await h.ctx.notify.worker.drain();
    sink.received.length = 0;
    // 17:59 Kyiv: too early.
    h.clock.set('2026-11-23T15:59:00Z');
    expect(await h.ctx.notify.sendReminders()).toBe(0);
    h.clock.set('2026-11-23T16:05:00Z');
    expect(await h.ctx.notify.sendReminders()).toBe(2);
    expect(await h.ctx.notify.sendReminders()).toBe(0);
    await h.ctx.db
      .updateTable('registrations')
      .set({ status: 'cancelled' })
      .where('id', '=', cancelled.registrationId)
      .execute();
    expect(await h.ctx.notify.worker.drain()).toBe(2);
    expect(sink.received.map((m) => m.subject)).toEqual(['Нагадування: завтра о 10:30 — ТСЦ МВС № 8041']);
    const reminders = (await outboxRows(h)).filter((r) => r.template === 'reminder');
    expect(reminders.map((r) => [r.dedupe_key, r.status, r.last_error])).toEqual([
      [`reminder:${kept.registrationId}`, 'sent', null],
      [`reminder:${cancelled.registrationId}`, 'sent', 'skipped: registration is cancelled'],
    ]);
  });

  it('rule 10: a commit wakes the running worker: the confirmation leaves without waiting for a poll', async () => {
    await h.ctx.notify.worker.start();
    try {
      await bookOnline(h, { time: '16:30' });
      // The next poll is an hour away: only the nudge after the booking's commit can deliver it.
      // (The wait is the test's patience, not a claim about speed measured by the wall clock.)
      await vi.waitFor(() => expect(sink.received).toHaveLength(1), { timeout: 10_000, interval: 20 });
    } finally {
      await h.ctx.notify.worker.stop();
    }
  });
});
