import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertCenter } from '../identity/auth.js';
import {
  centerExamCarsBody,
  centerExamCarsView,
  centersQuery,
  centerView,
  deskView,
  serviceView,
} from './catalog-api-schema.js';
import type { CatalogService } from './catalog-service.js';

export const catalogRoutes =
  ({ catalog }: { catalog: CatalogService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/centers',
      {
        config: { access: 'public', rateLimit: 'reads' },
        schema: {
          tags: ['catalog'],
          summary:
            'Сервісні центри МВС (для практичного іспиту: ?service=&category= — лише центри, що приймають категорію)',
          querystring: centersQuery,
          response: { 200: z.array(centerView) },
        },
      },
      (request) => catalog.centers(request.query),
    );

    app.get(
      '/api/v1/services',
      {
        config: { access: 'public', rateLimit: 'reads' },
        schema: {
          tags: ['catalog'],
          summary: 'Послуги сервісних центрів',
          response: { 200: z.array(serviceView) },
        },
      },
      () => catalog.services(),
    );

    app.get(
      '/api/v1/centers/:id/desks',
      {
        config: { access: ['operator', 'center_head', 'national_admin', 'board', 'terminal'] },
        schema: {
          tags: ['hall'],
          summary: 'Робочі місця центру',
          params: z.object({ id: z.string() }),
          response: { 200: z.array(deskView) },
        },
      },
      (request) => {
        assertCenter(request, request.params.id);
        return catalog.desks(request.params.id);
      },
    );

    const examCarsPath = '/api/v1/admin/centers/:id/exam-categories';
    app.get(
      examCarsPath,
      {
        config: { access: ['center_head', 'national_admin'], rateLimit: 'reads' },
        schema: {
          tags: ['admin'],
          summary: 'Категорії практичного іспиту, які приймає центр, і кількість його автомобілів',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: { 200: centerExamCarsView },
        },
      },
      (request) => {
        assertCenter(request, request.params.id);
        return catalog.examCars(request.params.id);
      },
    );
    app.put(
      examCarsPath,
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['admin'],
          summary: 'Задати категорії іспиту центру та автомобілі (правило 8: місця категорії = авто × норма)',
          params: z.object({ id: z.string().min(1).max(64) }),
          body: centerExamCarsBody,
          response: { 200: centerExamCarsView },
        },
      },
      (request) => {
        assertCenter(request, request.params.id);
        return catalog.setExamCars(request.params.id, request.body.cars, actorOf(request));
      },
    );
  };
