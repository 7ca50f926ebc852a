import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTransport } from '../../src/notify/mailer.js';
import { createOutboxWorker } from '../../src/notify/outbox-worker.js';
import { bookOnline, clearOutbox, outboxRows } from '../notify/notify-fixtures.js';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

const SEND_TIMEOUT_MS = 3_000;

/**
 * An SMTP server that takes every message at once except those to a `slow…` address: it
 * accepts their recipient only after `hangMs` (a mail server that stalls mid-conversation).
 */
async function stallingSmtp(hangMs: number) {
  const received: string[] = [];
  const stalled: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // A stalled conversation is cut at close (the default waits 30 s for it per database kind).
    closeTimeout: 200,
    onRcptTo(address, _session, callback) {
      if (!address.address.startsWith('slow')) return callback();
      stalled.push(address.address);
      const t = setTimeout(() => {
        timers.delete(t);
        callback();
      }, hangMs);
      timers.add(t);
    },
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stalled,
    async close() {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

describe.each(testDatabases())('SPEC §6: one slow SMTP delivery never blocks the others, on %s', (kind) => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof stallingSmtp>>;
  beforeAll(async () => {
    // Stalls far longer than the worker waits: only the per-message timeout ends it.
    smtp = await stallingSmtp(60_000);
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
    await clearOutbox(h);
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('messages nudged while a delivery hangs go out at once; the hanging one is retried after its timeout', async () => {
    const email = smtpTransport({ url: () => smtp.url, from: h.config.mailFrom });
    const worker = createOutboxWorker({
      db: h.ctx.db,
      clock: h.clock,
      events: h.ctx.events,
      email,
      sms: null,
      renderer: {
        crypto: h.ctx.crypto,
        portalUrl: 'http://x',
        cancelBeforeMinutes: 120,
        feedbackTtlDays: 30,
      },
      retry: { maxAttempts: 3, baseDelayMs: 30_000, maxDelayMs: 60_000, jitter: 0 },
      leaseMs: 300_000,
      batchSize: 10,
      // No poll in this test's time: only nudges (NOTIFY after each booking) wake the worker.
      pollMs: 600_000,
      concurrency: 4,
      sendTimeoutMs: SEND_TIMEOUT_MS,
    });
    await worker.start();
    try {
      await bookOnline(h, { email: 'slow-citizen@example.com' });
      await until(() => smtp.stalled.length === 1, 5_000);

      // While that delivery hangs, three more bookings nudge the worker.
      const started = Date.now();
      for (const n of [1, 2, 3]) await bookOnline(h, { email: `quick${n}@example.com` });
      await until(() => smtp.received.length === 3, 2_500);
      // The old worker waited for its round (the hanging send: 30 s of socket timeout) first.
      expect(Date.now() - started).toBeLessThan(SEND_TIMEOUT_MS);
      expect(smtp.received.sort()).toEqual([
        'quick1@example.com',
        'quick2@example.com',
        'quick3@example.com',
      ]);

      // The hanging one gives up after its timeout and waits for a retry, like any failed send.
      await until(
        async () => (await outboxRows(h)).some((r) => r.status === 'pending' && r.attempts === 1),
        6_000,
      );
      const slow = (await outboxRows(h)).find((r) => r.recipient === 'slow-citizen@example.com');
      expect(slow).toMatchObject({ status: 'pending', attempts: 1 });
      expect(slow?.last_error).toMatch(/timed out after 3000 ms/);
    } finally {
      await worker.stop();
      email.close();
    }
  }, 30_000);
});
