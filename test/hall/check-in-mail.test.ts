import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInCode } from '../../src/hall/check-in-code.js';
import { bookOnline } from '../notify/notify-fixtures.js';
import { SmtpSink } from '../notify/smtp-sink.js';
import { seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// Rule 13: the confirmation carries the signed arrival code, as text and as a QR image.
describe.each(testDatabases())('rule 13: arrival code in the confirmation e-mail on %s', (kind) => {
  let h: Harness;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    h = await createHarness(kind, { env: { SMTP_URL: sink.url, OUTBOX_POLL_MS: String(3_600_000) } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(async () => {
    await h.close();
    await sink.stop();
  });

  it('rule 13: the confirmation of an online booking has the check-in code and its QR (no РНОКПП in it)', async () => {
    h.clock.set('2026-11-23T07:00:00Z');
    const b = await bookOnline(h, { time: '10:00', email: 'olena@example.com' });
    expect(await h.ctx.notify.worker.runOnce()).toEqual(['sent']);
    const mail = sink.received.at(-1);
    if (!mail) throw new Error('no mail');
    const code = checkInCode(h.ctx.crypto, b.registrationId, '2026-11-25');
    expect(mail.text).toContain(`Код: ${code}`);
    expect(code).not.toContain(b.idValue);
    const qr = mail.attachments.find((a) => a.filename === 'check-in-qr.svg');
    expect(qr?.contentType).toContain('image/svg+xml');
    expect(qr?.content).toContain('<svg');
  });
});
