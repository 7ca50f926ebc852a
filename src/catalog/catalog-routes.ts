import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { assertCenter } from '../identity/auth.js';
import { DomainError } from '../platform/problems.js';

const center = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  region: z.string(),
  address: z.string(),
});

export const catalogRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/centers',
      {
        config: { access: 'public' },
        schema: { tags: ['catalog'], summary: 'Сервісні центри МВС', response: { 200: z.array(center) } },
      },
      async () =>
        (
          await ctx.db
            .selectFrom('centers')
            .select(['id', 'code', 'name', 'region', 'address', 'latitude', 'longitude', 'working_hours'])
            .orderBy('name')
            .execute()
        ).map((c) => ({ ...c, workingHours: c.working_hours, working_hours: undefined })),
    );

    app.get(
      '/api/v1/services',
      {
        config: { access: 'public' },
        schema: {
          tags: ['catalog'],
          summary: 'Послуги сервісних центрів',
          response: {
            200: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), group: z.string() })),
          },
        },
      },
      async () => {
        const rows = await ctx.db
          .selectFrom('services')
          .innerJoin('service_groups', 'service_groups.id', 'services.group_id')
          .select([
            'services.id',
            'services.code',
            'services.name',
            'services.group_id as group',
            'service_groups.name as groupName',
            'services.is_exam as isExam',
            'services.documents',
            'services.price',
          ])
          .orderBy('service_groups.sort')
          .orderBy('services.sort')
          .execute();
        return rows;
      },
    );

    app.get(
      '/api/v1/centers/:id/desks',
      {
        config: { access: ['operator', 'center_head', 'national_admin', 'board', 'terminal'] },
        schema: {
          tags: ['hall'],
          summary: 'Робочі місця центру',
          params: z.object({ id: z.string() }),
          response: {
            200: z.array(z.object({ id: z.string(), number: z.number(), groups: z.array(z.string()) })),
          },
        },
      },
      async (request) => {
        assertCenter(request, request.params.id);
        const rows = await ctx.db
          .selectFrom('desks')
          .select(['id', 'number', 'group_ids'])
          .where('center_id', '=', request.params.id)
          .where('active', '=', true)
          .orderBy('number')
          .execute();
        if (rows.length === 0) {
          const exists = await ctx.db
            .selectFrom('centers')
            .select('id')
            .where('id', '=', request.params.id)
            .executeTakeFirst();
          if (!exists) throw new DomainError('NOT_FOUND');
        }
        return rows.map((d) => ({ id: d.id, number: d.number, groups: d.group_ids }));
      },
    );
  };
