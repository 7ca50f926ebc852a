import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpSmsGateway } from '../../src/notify/sms.js';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { bookOnline, clearOutbox, outboxRows } from './notify-fixtures.js';
import { SmtpSink } from './smtp-sink.js';

/** A fake SMS gateway: a tiny HTTP server that records requests and can fail on demand. */
class FakeGateway {
  readonly requests: Array<{ authorization?: string; body: { to: string; text: string } }> = [];
  status = 200;
  private server?: Server;
  url = '';

  async start() {
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        this.requests.push({ authorization: req.headers.authorization, body: JSON.parse(data) });
        res.writeHead(this.status, { 'content-type': 'application/json' });
        res.end(this.status < 300 ? '{"id":"m1"}' : '{"error":"gateway down"}');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
    return this;
  }

  async stop() {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('rule 10: SMS gateway adapter', () => {
  it('posts JSON with a bearer token and treats non-2xx as a failure', async () => {
    const gw = await new FakeGateway().start();
    try {
      const sms = httpSmsGateway({ url: gw.url, token: 't0ken' });
      await sms.send('+380671234567', 'Тест');
      expect(gw.requests).toEqual([
        { authorization: 'Bearer t0ken', body: { to: '+380671234567', text: 'Тест' } },
      ]);
      gw.status = 503;
      await expect(sms.send('+380671234567', 'Тест')).rejects.toThrow(/503/);
    } finally {
      await gw.stop();
    }
  });
});

describe.each(testDatabases())('rule 10: SMS channel on %s', (kind) => {
  let h: Harness;
  let sink: SmtpSink;
  let gw: FakeGateway;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    gw = await new FakeGateway().start();
    h = await createHarness(kind, {
      env: { SMTP_URL: sink.url, SMS: 'on', SMS_GATEWAY_URL: gw.url, SMS_GATEWAY_TOKEN: 'secret-token' },
    });
    await seedCatalog(h.ctx.db);
  });
  afterAll(async () => {
    await h.close();
    await sink.stop();
    await gw.stop();
  });
  beforeEach(async () => {
    await clearOutbox(h);
    gw.requests.length = 0;
    gw.status = 200;
    sink.received.length = 0;
  });

  it('rule 10: a confirmation also goes out as a short Ukrainian SMS to a person with a phone', async () => {
    const b = await bookOnline(h, { time: '10:00', phone: '+380671234567' });
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent']);
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent']);
    expect(sink.received).toHaveLength(1);
    expect(gw.requests).toEqual([
      {
        authorization: 'Bearer secret-token',
        body: { to: '+380671234567', text: `Запис ${b.number}: 25.11.2026 10:00, ТСЦ МВС № 8041` },
      },
    ]);
    const rows = await outboxRows(h);
    expect(rows.map((r) => [r.channel, r.template, r.status])).toEqual([
      ['email', 'registration_confirmed', 'sent'],
      ['sms', 'registration_confirmed', 'sent'],
    ]);
    // Retrying the email (an admin's retry) does not send a second SMS: one copy per email.
    expect(rows[1]?.dedupe_key).toBe(`sms:${rows[0]?.id}`);
  });

  it('rule 10: a failing gateway is retried like email; a person without a phone gets no SMS', async () => {
    await bookOnline(h, { time: '11:00', phone: '+380501112233' });
    await bookOnline(h, { time: '12:00' });
    gw.status = 500;
    await h.ctx.notify.worker.drain();
    const rows = await outboxRows(h);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['email', 'sent'],
      ['email', 'sent'],
      ['sms', 'pending'],
    ]);
    expect(rows[2]?.last_error).toMatch(/SMS gateway answered 500/);
    gw.status = 200;
    h.clock.advance(60_000);
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent']);
    expect(gw.requests.at(-1)?.body.to).toBe('+380501112233');
  });
});
