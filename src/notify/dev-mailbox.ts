import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import { parseMail } from './mime.js';
import './notify-schema.js';

/**
 * Demo mode without SMTP_URL: an in-process SMTP server on a free local port receives what the
 * worker sends, so the whole path (outbox → worker → SMTP) runs as in production. Messages go
 * to the `dev_mailbox` table, so every instance on the database shows the same mailbox.
 */
export interface DevMailbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startDevMailbox(db: Db, clock: Clock): Promise<DevMailbox> {
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    banner: 'E-Zapys demo mailbox',
    size: 5 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = session.envelope;
        storeMessage(db, clock.now(), raw, {
          from: envelope.mailFrom ? envelope.mailFrom.address : null,
          to: envelope.rcptTo.map((r) => r.address),
        }).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function storeMessage(
  db: Executor,
  at: Date,
  raw: string,
  envelope: { from: string | null; to: string[] },
): Promise<void> {
  const mail = parseMail(raw);
  await storeOp('devMailbox.store', () =>
    db
      .insertInto('dev_mailbox')
      .values({
        received_at: at,
        mail_from: envelope.from,
        recipients: envelope.to,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        attachments: JSON.stringify(
          mail.attachments.map((a) => ({
            filename: a.filename ?? 'attachment',
            contentType: a.contentType,
            content: a.content,
          })),
        ),
        raw,
      })
      .execute(),
  );
}

export async function listMailbox(db: Executor, limit = 100) {
  return db
    .selectFrom('dev_mailbox')
    .select(['id', 'received_at', 'mail_from', 'recipients', 'subject'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findMail(db: Executor, id: number) {
  return db.selectFrom('dev_mailbox').selectAll().where('id', '=', id).executeTakeFirst();
}
