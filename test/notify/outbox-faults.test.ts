import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpTransport } from '../../src/notify/mailer.js';
import { claimDue, enqueue } from '../../src/notify/outbox-store.js';
import { createOutboxWorker } from '../../src/notify/outbox-worker.js';
import { seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { requirePostgres, testDatabases } from '../support/test-db.js';
import { bookOnline, clearOutbox, outboxRows } from './notify-fixtures.js';
import { SmtpSink } from './smtp-sink.js';

const LEASE_MS = 300_000;

describe.each(testDatabases())('rule 10: outbox faults on %s', (kind) => {
  let h: Harness;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    h = await createHarness(kind, { env: { SMTP_URL: sink.url, OUTBOX_MAX_ATTEMPTS: '3' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(async () => {
    await h.close();
    await sink.stop();
  });
  beforeEach(async () => {
    if (!sink.running) await sink.start();
    sink.received.length = 0;
    await clearOutbox(h);
    h.clock.set('2026-11-23T07:00:00Z');
  });

  it('rule 10: SMTP down → messages wait with backoff and all go out when it returns', async () => {
    await sink.stop();
    const bookings = [await bookOnline(h), await bookOnline(h), await bookOnline(h)];
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['retry', 'retry', 'retry']);
    let rows = await outboxRows(h);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'pending', attempts: 1, locked_until: null });
      expect(r.last_error).toMatch(/ECONNREFUSED|connect/i);
      // 30 s ± 20 % after the failed attempt.
      const wait = new Date(r.next_attempt_at).getTime() - h.clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(24_000);
      expect(wait).toBeLessThanOrEqual(36_000);
    }
    // Not due yet: nothing is tried again.
    expect(await h.ctx.notify.worker.runOnce()).toEqual([]);
    // Still down on the second attempt: the wait doubles.
    h.clock.advance(40_000);
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['retry', 'retry', 'retry']);
    rows = await outboxRows(h);
    for (const r of rows) {
      const wait = new Date(r.next_attempt_at).getTime() - h.clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(48_000);
      expect(r.attempts).toBe(2);
    }
    await sink.start();
    h.clock.advance(80_000);
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent', 'sent', 'sent']);
    expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual(
      (await Promise.all(bookings.map((b) => personEmail(h, b.personId)))).sort(),
    );
    expect((await outboxRows(h)).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 3],
      ['sent', 3],
      ['sent', 3],
    ]);
  });

  it('rule 10: after the last attempt a message is a dead letter; the admin sees it and retries it', async () => {
    await sink.stop();
    await bookOnline(h);
    for (let i = 0; i < 3; i++) {
      await h.ctx.notify.worker.runOnce();
      h.clock.advance(3_600_000);
    }
    const [dead] = await outboxRows(h);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });

    const admin = await staffCookie(h.app, 'national_admin');
    const list = await h.app.inject({ url: '/api/v1/admin/outbox?status=dead', headers: { cookie: admin } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      expect.objectContaining({
        id: dead?.id,
        status: 'dead',
        template: 'registration_confirmed',
        centerId: 'test-kyiv',
        recipient: expect.stringMatching(/^p\*\*\*@example\.com$/),
        lastError: expect.stringMatching(/ECONNREFUSED|connect/i),
      }),
    ]);
    // A head of another center does not see it and cannot retry it.
    const otherHead = await staffCookie(h.app, 'center_head', 'test-lviv');
    const none = await h.app.inject({
      url: '/api/v1/admin/outbox?status=dead',
      headers: { cookie: otherHead },
    });
    expect(none.json()).toEqual([]);
    const refused = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/outbox/${dead?.id}/retry`,
      headers: { cookie: otherHead },
    });
    expect(refused.statusCode).toBe(404);
    const { cookie: citizenCookieHeader } = await citizenCookie(h.app, { rnokpp: rnokpp(4242) });
    const citizen = await h.app.inject({
      url: '/api/v1/admin/outbox',
      headers: { cookie: citizenCookieHeader },
    });
    expect(citizen.statusCode).toBe(403);

    await sink.start();
    const head = await staffCookie(h.app, 'center_head', 'test-kyiv');
    const retry = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/outbox/${dead?.id}/retry`,
      headers: { cookie: head },
    });
    expect(retry.statusCode).toBe(200);
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent']);
    expect(sink.received).toHaveLength(1);
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', '=', 'outbox.retried')
      .execute();
    expect(audit).toEqual([{ action: 'outbox.retried', subject_id: String(dead?.id) }]);
  });

  it('rule 10: a worker killed between claim and send: the message goes out after the lease, once', async () => {
    await bookOnline(h);
    // The "killed" worker: claims, then never sends nor marks anything.
    const claimed = await claimDue(h.ctx.db, h.clock.now(), LEASE_MS, 10);
    expect(claimed).toHaveLength(1);
    // While the lease holds, no other worker takes it.
    h.clock.advance(LEASE_MS - 1000);
    expect(await h.ctx.notify.worker.runOnce()).toEqual([]);
    expect(sink.received).toHaveLength(0);
    // A restarted worker after the lease: delivered.
    h.clock.advance(2000);
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent']);
    expect(sink.received).toHaveLength(1);
    expect((await outboxRows(h))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    // The dead worker's late outcome cannot overwrite the newer claim (attempt number differs).
    expect(await h.ctx.notify.worker.runOnce()).toEqual([]);
  });

  it('rule 10: sent messages are purged after 30 days, pending and dead ones are kept', async () => {
    await bookOnline(h);
    await h.ctx.notify.worker.runOnce();
    await enqueue(h.ctx.db, h.clock.now(), { template: 'mystery', recipient: 'x@example.com', payload: {} });
    await h.ctx.notify.worker.runOnce();
    h.clock.advance(29 * 86_400_000);
    expect(await h.ctx.notify.purgeSent()).toBe(0);
    h.clock.advance(2 * 86_400_000);
    expect(await h.ctx.notify.purgeSent()).toBe(1);
    expect((await outboxRows(h)).map((r) => r.status)).toEqual(['dead']);
  });

  it('rule 10: a transaction that rolls back leaves no message', async () => {
    await expect(
      h.ctx.db.transaction().execute(async (trx) => {
        await enqueue(trx, h.clock.now(), {
          template: 'registration_confirmed',
          recipient: 'x@example.com',
          payload: { registrationId: '00000000-0000-4000-8000-000000000000' },
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outboxRows(h)).toEqual([]);
    // And a refused booking (no place left) writes no confirmation.
    const b = await bookOnline(h);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie: b.cookie, 'idempotency-key': 'rollback-0001' },
      payload: {
        slotId: (
          await h.ctx.db
            .selectFrom('registrations')
            .select('slot_id')
            .where('id', '=', b.registrationId)
            .executeTakeFirstOrThrow()
        ).slot_id,
        serviceId: 'svc-vehicle-registration',
      },
    });
    expect(res.statusCode).toBe(409);
    expect((await outboxRows(h)).map((r) => r.payload)).toEqual([{ registrationId: b.registrationId }]);
  });
});

async function personEmail(h: Harness, personId: string) {
  const p = await h.ctx.db
    .selectFrom('persons')
    .select('email')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  return p.email;
}

describe.runIf(requirePostgres())('rule 10: racing workers on postgres', () => {
  let h: Harness;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    h = await createHarness('postgres', { env: { SMTP_URL: sink.url }, poolSize: 30 });
    await seedCatalog(h.ctx.db);
  });
  afterAll(async () => {
    await h.close();
    await sink.stop();
  });

  it('rule 10: eight workers on one PostgreSQL never send one message twice', async () => {
    const now = h.clock.now();
    const b = await bookOnline(h);
    await sql`DELETE FROM outbox`.execute(h.ctx.db);
    await h.ctx.db
      .insertInto('outbox')
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          channel: 'email' as const,
          template: 'person_blocked',
          recipient: `p${i}@example.com`,
          lang: 'uk',
          payload: JSON.stringify({ personId: b.personId, blockedUntil: '2026-12-23T07:00:00Z' }),
          next_attempt_at: now,
          created_at: now,
        })),
      )
      .execute();
    // Eight independent workers (the code `npm run worker` runs), each with its own SMTP
    // connection, claiming 3 at a time over a pool of 30 connections.
    const workers = Array.from({ length: 8 }, () =>
      createOutboxWorker({
        db: h.ctx.db,
        clock: h.clock,
        events: h.ctx.events,
        email: smtpTransport({ url: () => sink.url, from: h.config.mailFrom }),
        sms: null,
        renderer: {
          crypto: h.ctx.crypto,
          portalUrl: 'http://x',
          cancelBeforeMinutes: 120,
          feedbackTtlDays: 30,
        },
        retry: { maxAttempts: 3, baseDelayMs: 30_000, maxDelayMs: 60_000, jitter: 0 },
        leaseMs: LEASE_MS,
        batchSize: 3,
        pollMs: 60_000,
      }),
    );
    await Promise.all(workers.map((w) => w.drain(200)));
    const ids = sink.received.map((m) => m.outboxId);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    const statuses = await h.ctx.db.selectFrom('outbox').select(['status', 'attempts']).execute();
    expect(statuses.every((s) => s.status === 'sent' && s.attempts === 1)).toBe(true);
  });
});
