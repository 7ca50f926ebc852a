import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { DomainError } from '../platform/problems.js';
import { queryAudit } from './audit-query.js';

export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
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
        },
      },
      async (request) => {
        const q = request.query;
        const p = request.principal;
        let centerId = q.centerId;
        if (p?.role === 'center_head') {
          if (centerId && centerId !== p.centerId) throw new DomainError('FORBIDDEN');
          centerId = p.centerId ?? '';
        }
        return queryAudit(ctx.db, {
          action: q.action,
          subjectId: q.subjectId,
          centerId,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          limit: q.limit,
          cursor: q.cursor ? Number(q.cursor) : undefined,
        });
      },
    );
  };
