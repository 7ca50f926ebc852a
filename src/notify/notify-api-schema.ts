import { z } from 'zod';

/** The admin view of the outbox: the recipient masked, times as ISO strings. */
export const outboxMessageView = z.object({
  id: z.number(),
  channel: z.enum(['email', 'sms']),
  template: z.string(),
  recipient: z.string(),
  lang: z.string(),
  payload: z.record(z.string(), z.unknown()),
  centerId: z.string().nullable(),
  status: z.enum(['pending', 'sending', 'sent', 'dead']),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const outboxRetried = z.object({ id: z.number(), status: z.literal('pending') });

export type OutboxMessageView = z.infer<typeof outboxMessageView>;

/** A message of the demo mailbox (/dev/mailbox.json, demo mode only): as the SMTP server got it. */
export const devMailView = z.object({
  id: z.number(),
  receivedAt: z.string(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  /** Each part decoded as text (the demo sends calendar files only). */
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })),
});
