import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { storeMessage } from './dev-mailbox-store.js';

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
