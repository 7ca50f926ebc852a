import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, citizenOf } from '../identity/auth.js';
import {
  joinWaitBody,
  offerAccepted,
  offerDeclined,
  offerView,
  waitCreated,
  waitLeft,
  waitView,
} from './waitlist-api-schema.js';
import type { Waitlist } from './waitlist-service.js';

/** SPEC §4 waitlist and offers (rule 12). */
export const waitlistRoutes =
  (ctx: { waitlist: Waitlist }): FastifyPluginAsyncZod =>
  async (app) => {
    const idParams = z.object({ id: z.string().uuid() });

    app.post(
      '/api/v1/waitlist',
      {
        // A wait is a claim on future places: counted and paid for like a booking attempt.
        config: { access: ['citizen'], rateLimit: 'bookings', antibot: true },
        schema: {
          tags: ['waitlist'],
          summary: 'Чекати на місце, що звільниться',
          body: joinWaitBody,
          response: { 201: waitCreated },
        },
      },
      async (request, reply) => {
        const { centerIds, serviceId, from, to, examCategory } = request.body;
        const created = await ctx.waitlist.join({
          personId: citizenOf(request).personId,
          centerIds,
          serviceId,
          from,
          to,
          examCategory: examCategory ?? null,
          actor: actorOf(request),
        });
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/api/v1/me/waitlist',
      {
        config: { access: ['citizen'] },
        schema: { tags: ['citizen'], summary: 'Мої очікування', response: { 200: z.array(waitView) } },
      },
      async (request) => ctx.waitlist.mine(citizenOf(request).personId),
    );

    app.delete(
      '/api/v1/waitlist/:id',
      {
        // The owner's own wait: leaving gives something up, nothing to count.
        config: { access: ['citizen'], rateLimit: false },
        schema: {
          tags: ['waitlist'],
          summary: 'Більше не чекати',
          params: idParams,
          response: { 200: waitLeft },
        },
      },
      async (request) =>
        ctx.waitlist.leave({
          personId: citizenOf(request).personId,
          waitId: request.params.id,
          actor: actorOf(request),
        }),
    );

    app.get(
      '/api/v1/me/offers',
      {
        config: { access: ['citizen'] },
        schema: {
          tags: ['citizen'],
          summary: 'Місця, запропоновані мені зі списку очікування',
          response: { 200: z.array(offerView) },
        },
      },
      async (request) => ctx.waitlist.offers(citizenOf(request).personId),
    );

    app.post(
      '/api/v1/offers/:id/accept',
      {
        // Accepting books a place: the same limits and proof-of-work as a booking.
        config: { access: ['citizen'], rateLimit: 'bookings', antibot: true },
        schema: {
          tags: ['waitlist'],
          summary: 'Прийняти запропоноване місце',
          params: idParams,
          body: z.object({ altcha: z.string().max(4096).optional() }).nullish(),
          response: { 201: offerAccepted },
        },
      },
      async (request, reply) => {
        const booked = await ctx.waitlist.accept({
          personId: citizenOf(request).personId,
          offerId: request.params.id,
          actor: actorOf(request),
        });
        return reply.status(201).send(booked);
      },
    );

    app.post(
      '/api/v1/offers/:id/decline',
      {
        // Declining gives the place up to the next waiter: nothing to count.
        config: { access: ['citizen'], rateLimit: false },
        schema: {
          tags: ['waitlist'],
          summary: 'Відмовитися від запропонованого місця',
          params: idParams,
          response: { 200: offerDeclined },
        },
      },
      async (request) =>
        ctx.waitlist.decline({
          personId: citizenOf(request).personId,
          offerId: request.params.id,
          actor: actorOf(request),
        }),
    );
  };
