import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/auth.js';
import { DomainError } from '../platform/problems.js';
import { devMailboxPage, devMessagePage } from './dev-mailbox-pages.js';
import { devMailView, outboxMessageView, outboxRetried } from './notify-api-schema.js';
import type { NotifyService } from './notify-service.js';

/**
 * The admin view of the outbox (dead letters, retry) and, in demo mode only, the mailbox of
 * the in-process SMTP server.
 */
export const notifyRoutes =
  ({ notify, production }: { notify: NotifyService; production: boolean }): FastifyPluginAsyncZod =>
  async (app) => {
    /** A national admin sees every message; a center head only those about their center. */
    const scopeOf = (request: { principal: { role: string; centerId: string | null } | null }) => {
      const p = request.principal;
      if (!p) throw new DomainError('UNAUTHENTICATED');
      if (p.role === 'national_admin') return { centerId: null };
      if (!p.centerId) throw new DomainError('FORBIDDEN');
      return { centerId: p.centerId };
    };

    app.get(
      '/api/v1/admin/outbox',
      {
        config: { access: ['national_admin', 'center_head'] },
        schema: {
          tags: ['admin'],
          summary: 'Черга повідомлень (status=dead — недоставлені)',
          querystring: z.object({
            status: z.enum(['pending', 'sending', 'sent', 'dead']).optional(),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          }),
          response: { 200: z.array(outboxMessageView) },
        },
      },
      async (request) =>
        notify.list({ status: request.query.status, limit: request.query.limit, ...scopeOf(request) }),
    );

    app.post(
      '/api/v1/admin/outbox/:id/retry',
      {
        config: { access: ['national_admin', 'center_head'] },
        schema: {
          tags: ['admin'],
          summary: 'Надіслати недоставлене повідомлення повторно',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: outboxRetried },
        },
      },
      async (request) => notify.retry(request.params.id, scopeOf(request), actorOf(request)),
    );

    if (production) return;

    app.get(
      '/dev/mailbox.json',
      {
        config: { access: 'public' },
        schema: { hide: true, response: { 200: z.array(devMailView) } },
      },
      async () => {
        const rows = await notify.inbox.list(200);
        const full = await Promise.all(rows.map((r) => notify.inbox.find(r.id)));
        return full
          .filter((m) => m !== undefined)
          .map((m) => ({
            id: m.id,
            receivedAt: new Date(m.received_at).toISOString(),
            from: m.mail_from,
            to: m.recipients,
            subject: m.subject,
            text: m.text_body,
            html: m.html_body,
            attachments: m.attachments,
          }));
      },
    );

    app.get(
      '/dev/mailbox',
      { config: { access: 'public' }, schema: { hide: true } },
      async (_request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(devMailboxPage(await notify.inbox.list(200), notify.mailbox?.url)),
    );

    app.get(
      '/dev/mailbox/:id',
      {
        config: { access: 'public' },
        schema: { hide: true, params: z.object({ id: z.coerce.number().int().positive() }) },
      },
      async (request, reply) => {
        const mail = await notify.inbox.find(request.params.id);
        if (!mail) throw new DomainError('NOT_FOUND');
        return reply.type('text/html; charset=utf-8').send(devMessagePage(mail));
      },
    );

    app.get(
      '/dev/mailbox/:id/attachments/:n',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          params: z.object({ id: z.coerce.number().int().positive(), n: z.coerce.number().int().min(0) }),
        },
      },
      async (request, reply) => {
        const mail = await notify.inbox.find(request.params.id);
        const attachment = mail?.attachments[request.params.n];
        if (!attachment) throw new DomainError('NOT_FOUND');
        const safeName = attachment.filename.replace(/[^\w.-]/g, '_');
        return reply
          .type(
            attachment.contentType.startsWith('text/calendar')
              ? 'text/calendar; charset=utf-8'
              : 'application/octet-stream',
          )
          .header('content-disposition', `attachment; filename="${safeName}"`)
          .send(attachment.content);
      },
    );
  };
