import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditPage } from './audit-api-schema.js';
import type { AuditService } from './audit-service.js';

export const auditRoutes =
  ({ audit }: { audit: AuditService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/admin/audit',
      {
        config: { access: ['national_admin', 'center_head'] },
        schema: {
          tags: ['admin'],
          summary: 'Журнал аудиту (начальник центру бачить лише свій центр)',
          querystring: z.object({
            action: z.string().max(64).optional(),
            subjectId: z.string().max(128).optional(),
            centerId: z.string().max(64).optional(),
            from: z.string().datetime({ offset: true }).optional(),
            to: z.string().datetime({ offset: true }).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.string().regex(/^\d+$/).optional(),
          }),
          response: { 200: auditPage },
        },
      },
      (request) => {
        const q = request.query;
        return audit.query(request.principal, {
          action: q.action,
          subjectId: q.subjectId,
          centerId: q.centerId,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          limit: q.limit,
          cursor: q.cursor ? Number(q.cursor) : undefined,
        });
      },
    );
  };
