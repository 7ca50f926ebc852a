import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from './auth.js';
import { identityReveal } from './identity-api-schema.js';
import type { PiiService } from './pii-service.js';

/** The full identifier of a registration's person, for the operator at the desk (audited). */
export const piiRoutes =
  ({ pii }: { pii: PiiService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/v1/registrations/:id/reveal-identity',
      {
        config: { access: ['operator', 'center_head'] },
        schema: {
          tags: ['hall'],
          summary: 'Показати повний ідентифікатор особи (дія журналюється)',
          params: z.object({ id: z.string().uuid() }),
          response: { 200: identityReveal },
        },
      },
      (request) =>
        pii.reveal(
          request.params.id,
          request.principal?.centerId ?? null,
          actorOf(request),
          request.principal?.deskId ?? null,
        ),
    );
  };
