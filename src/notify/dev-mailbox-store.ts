import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import { parseMail } from './mime.js';
import './notify-schema.js';

/** The demo mailbox's messages, in the `dev_mailbox` table (every instance shows the same). */

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
