import nodemailer, { type Transporter } from 'nodemailer';
import type { Attachment } from './message-renderer.js';

/**
 * Email over SMTP (nodemailer), configured by one URL: `smtp://user:pass@host:587` (STARTTLS
 * when offered) or `smtps://…:465`. The URL is read when a message is sent, because the demo
 * mailbox learns its port only at start-up. One connection per message keeps a failing server
 * from poisoning a pool; the outbox retries.
 */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: Attachment[];
  /** Our id of the message: lets a receiving test (or an admin) tie a delivery to its row. */
  outboxId: number;
}

export interface EmailTransport {
  send(mail: OutgoingEmail): Promise<void>;
  close(): void;
}

export function smtpTransport(options: { url: () => string | undefined; from: string }): EmailTransport {
  let current: { url: string; transporter: Transporter } | undefined;
  const transporter = () => {
    const url = options.url();
    if (!url) throw new Error('SMTP_URL is not set and the demo mailbox is not running');
    if (current?.url !== url) {
      current?.transporter.close();
      current = {
        url,
        transporter: nodemailer.createTransport({
          url,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        }),
      };
    }
    return current.transporter;
  };
  return {
    async send(mail) {
      await transporter().sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'X-Outbox-Id': String(mail.outboxId) },
        attachments: mail.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
    },
    close() {
      current?.transporter.close();
      current = undefined;
    },
  };
}
