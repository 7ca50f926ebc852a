import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notifyServed } from '../../src/feedback/feedback-service.js';
import { sha256 } from '../../src/platform/crypto.js';
import { bookOnline, clearOutbox, outboxRows } from '../notify/notify-fixtures.js';
import { SmtpSink } from '../notify/smtp-sink.js';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

describe.each(testDatabases())('rule 11: feedback after a served visit on %s', (kind) => {
  let h: Harness;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    h = await createHarness(kind, { env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://e-zapys.example' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(async () => {
    await h.close();
    await sink.stop();
  });
  beforeEach(async () => {
    sink.received.length = 0;
    await clearOutbox(h);
  });

  /** What the hall does when the operator records `served`: the outcome and notifyServed, one transaction. */
  async function serve(registrationId: string, deskId = 'test-kyiv-d1') {
    await h.ctx.db.transaction().execute(async (trx) => {
      // The database allows a visit to end only from `called`.
      await trx
        .updateTable('registrations')
        .set({ status: 'called' })
        .where('id', '=', registrationId)
        .execute();
      await trx
        .updateTable('registrations')
        .set({ status: 'served', desk_id: deskId, outcome_at: h.clock.now() })
        .where('id', '=', registrationId)
        .execute();
      await notifyServed(trx, registrationId, h.clock.now());
    });
  }

  async function emailedToken(): Promise<string> {
    await h.ctx.notify.worker.drain();
    const mail = sink.received.find((m) => m.subject.startsWith('Дякуємо за візит'));
    const match = /https:\/\/e-zapys\.example\/feedback\/([\w-]+)/.exec(mail?.text ?? '');
    if (!match?.[1]) throw new Error('no feedback link in the email');
    return match[1];
  }

  it('rule 11: the thank-you email carries a single-use link; the rating is accepted once', async () => {
    const b = await bookOnline(h, { time: '10:00', email: 'rate@example.com' });
    await clearOutbox(h);
    await serve(b.registrationId);
    const token = await emailedToken();
    const mail = sink.received[0];
    expect(mail?.envelopeTo).toEqual(['rate@example.com']);
    expect(mail?.subject).toBe('Дякуємо за візит до ТСЦ МВС № 8041! Оцініть обслуговування');
    expect(mail?.raw).not.toContain(b.idValue);
    // Only the hash is stored; the outbox never held the token.
    const stored = await h.ctx.db.selectFrom('feedback_tokens').selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(token));
    expect(JSON.stringify(await outboxRows(h))).not.toContain(token);

    const about = await h.app.inject({ url: `/api/v1/feedback/${token}` });
    expect(about.statusCode).toBe(200);
    expect(about.json()).toEqual({
      serviceName: 'Реєстрація транспортного засобу',
      centerName: 'ТСЦ МВС № 8041',
      date: '2026-11-25',
      rated: false,
    });
    expect(about.body).not.toContain('Шевченко');

    const rate = (payload: object) =>
      h.app.inject({ method: 'POST', url: `/api/v1/feedback/${token}`, payload });
    expect((await rate({ rating: 6 })).statusCode).toBe(400);
    expect((await rate({ rating: 4, comment: 'x'.repeat(1001) })).statusCode).toBe(400);
    const first = await rate({ rating: 5, comment: '  Швидко й ввічливо  ' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      registrationId: b.registrationId,
      rating: 5,
      comment: 'Швидко й ввічливо',
    });
    const again = await rate({ rating: 1 });
    expect(again.statusCode).toBe(409);
    expect((await h.app.inject({ url: `/api/v1/feedback/${token}` })).json()).toMatchObject({ rated: true });
    const rows = await h.ctx.db.selectFrom('feedback').selectAll().execute();
    expect(rows).toEqual([
      expect.objectContaining({
        registration_id: b.registrationId,
        rating: 5,
        center_id: 'test-kyiv',
        desk_id: 'test-kyiv-d1',
      }),
    ]);
    expect((await h.app.inject({ url: '/api/v1/feedback/not-a-real-token-0123456789' })).statusCode).toBe(
      404,
    );
  });

  it('rule 11: a citizen rates only their own served visit, once; the email link then no longer works', async () => {
    const served = await bookOnline(h, { time: '11:00' });
    const booked = await bookOnline(h, { time: '12:00' });
    await h.ctx.db
      .updateTable('registrations')
      .set({ status: 'called' })
      .where('id', '=', served.registrationId)
      .execute();
    await h.ctx.db
      .updateTable('registrations')
      .set({ status: 'served', desk_id: 'test-kyiv-d2' })
      .where('id', '=', served.registrationId)
      .execute();
    const post = (cookie: string, id: string, payload: object) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/me/bookings/${id}/feedback`,
        headers: { cookie },
        payload,
      });
    const notServed = await post(booked.cookie, booked.registrationId, { rating: 3 });
    expect(notServed.statusCode).toBe(409);
    expect(notServed.json()).toMatchObject({ code: 'INVALID_STATE' });
    expect((await post(booked.cookie, served.registrationId, { rating: 3 })).statusCode).toBe(404);
    expect((await post(served.cookie, served.registrationId, { rating: 2 })).statusCode).toBe(201);
    expect((await post(served.cookie, served.registrationId, { rating: 2 })).statusCode).toBe(409);

    // The thank-you email of an already rated visit is not sent.
    await clearOutbox(h);
    await h.ctx.db.transaction().execute((trx) => notifyServed(trx, served.registrationId, h.clock.now()));
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['skipped']);
    expect(sink.received).toHaveLength(0);
  });

  it('rule 11: serving in a transaction that rolls back sends nothing', async () => {
    const b = await bookOnline(h, { time: '13:00' });
    await clearOutbox(h);
    await expect(
      h.ctx.db.transaction().execute(async (trx) => {
        await notifyServed(trx, b.registrationId, h.clock.now());
        throw new Error('outcome refused');
      }),
    ).rejects.toThrow('outcome refused');
    expect(await outboxRows(h)).toEqual([]);
  });

  it('rule 11: the email link opens an accessible form that works without JavaScript', async () => {
    const b = await bookOnline(h, { time: '14:00' });
    await clearOutbox(h);
    await serve(b.registrationId, 'test-kyiv-d2');
    const token = await emailedToken();
    const form = await h.app.inject({ url: `/feedback/${token}` });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<html lang="uk">');
    expect(form.body).toContain('<legend>Як вас обслужили?');
    expect(form.body).toContain('<label for="comment">');
    const sent = await h.app.inject({
      method: 'POST',
      url: `/feedback/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'rating=4&comment=%D0%94%D1%8F%D0%BA%D1%83%D1%8E',
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Дякуємо за оцінку!');
    const second = await h.app.inject({ url: `/feedback/${token}` });
    expect(second.body).toContain('Візит уже оцінено');
  });

  it('rule 11: the summary per center and desk is for that center head or a national admin', async () => {
    const url = '/api/v1/admin/centers/test-kyiv/feedback/summary';
    const head = await staffCookie(h.app, 'center_head', 'test-kyiv');
    const res = await h.app.inject({ url, headers: { cookie: head } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      centerId: 'test-kyiv',
      count: 3,
      average: 3.67,
      desks: [
        { deskId: 'test-kyiv-d1', number: 1, count: 1, average: 5 },
        { deskId: 'test-kyiv-d2', number: 2, count: 2, average: 3 },
      ],
    });
    const other = await staffCookie(h.app, 'center_head', 'test-lviv');
    expect((await h.app.inject({ url, headers: { cookie: other } })).statusCode).toBe(403);
    const national = await staffCookie(h.app, 'national_admin');
    expect((await h.app.inject({ url, headers: { cookie: national } })).statusCode).toBe(200);
    expect((await h.app.inject({ url })).statusCode).toBe(401);
  });
});
