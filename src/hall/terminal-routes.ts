import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertCenter } from '../identity/auth.js';
import type { Hall } from './hall-service.js';
import { checkInAnswer, terminalTime } from './terminal-api-schema.js';

const centerParams = z.object({ id: z.string().min(1).max(64) });
const kioskAccess = ['terminal', 'operator', 'center_head'] as const;

/** The kiosk's time choice and arrival check-in (SPEC §2 terminal channel, rule 13). */
export const terminalRoutes =
  (ctx: { hall: Hall }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/centers/:id/terminal/times',
      {
        config: { access: [...kioskAccess], rateLimit: 'reads' },
        schema: {
          tags: ['hall'],
          summary: 'Вільний час сьогодні для запису через термінал',
          params: centerParams,
          querystring: z.object({
            service: z.string().min(1).max(64),
            /** Practical exams: the vehicle category (rule 8): only times it still has places. */
            category: z
              .string()
              .regex(/^[A-Z][A-Z0-9]{0,3}$/)
              .optional(),
          }),
          response: { 200: z.array(terminalTime) },
        },
      },
      async (request) => {
        assertCenter(request, request.params.id);
        return ctx.hall.terminal.times(
          request.params.id,
          request.query.service,
          request.query.category ?? null,
        );
      },
    );

    app.post(
      '/api/v1/centers/:id/terminal/check-in',
      {
        // Per device: a kiosk (or a stolen kiosk key) cannot walk through numbers and surnames.
        config: { access: [...kioskAccess], rateLimit: 'terminal' },
        schema: {
          tags: ['hall'],
          summary: 'Відмітка про прибуття за QR-кодом або номером і прізвищем',
          params: centerParams,
          body: z.union([
            z.object({ code: z.string().trim().min(10).max(100) }).strict(),
            z
              .object({
                number: z.coerce.number().int().min(1).max(99_999),
                lastName: z.string().trim().min(1).max(100),
              })
              .strict(),
          ]),
          response: { 200: checkInAnswer },
        },
      },
      async (request) => {
        assertCenter(request, request.params.id);
        const actor = actorOf(request);
        const b = request.body;
        return ctx.hall.checkIn.checkIn(
          'code' in b
            ? { centerId: request.params.id, actor, code: b.code }
            : { centerId: request.params.id, actor, number: b.number, lastName: b.lastName },
        );
      },
    );
  };
