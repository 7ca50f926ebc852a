import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { centersNow, periodStats } from './stats-api-schema.js';
import type { StatsService } from './stats-service.js';

const day = z.string().refine(isDay, 'Очікується дата у форматі YYYY-MM-DD');

/** Statistics of a period for the head (own center) and the national admin (any or all centers). */
export const statsRoutes =
  ({ stats }: { stats: StatsService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/admin/stats',
      {
        config: { access: ['center_head', 'national_admin'], rateLimit: 'reads' },
        schema: {
          tags: ['admin'],
          summary: 'Статистика за період: за каналом, послугою, вікном, центром',
          querystring: z.object({
            centerId: z.string().min(1).max(64).optional(),
            from: day,
            to: day,
            grain: z.enum(['day', 'week', 'month']).default('day'),
          }),
          response: { 200: periodStats },
        },
      },
      (request) => {
        const p = request.principal;
        if (!p) throw new DomainError('UNAUTHENTICATED');
        return stats.period({ role: p.role, centerId: p.centerId }, request.query);
      },
    );

    app.get(
      '/api/v1/admin/centers-now',
      {
        config: { access: ['national_admin'], rateLimit: 'reads' },
        schema: {
          tags: ['admin'],
          summary: 'Усі центри зараз: вільні місця сьогодні, черга, тривоги',
          response: { 200: centersNow },
        },
      },
      () => stats.centersNow(),
    );
  };
