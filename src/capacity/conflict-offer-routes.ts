import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertCenter } from '../identity/auth.js';
import { centerParams, staffOnly, tags } from './capacity-schemas.js';
import {
  conflictCancelledView,
  conflictOffersView,
  freeTimeView,
  sentOfferView,
} from './conflict-offer-api-schema.js';
import { offerConfirmPage, offerMovedPage, offerRefusedPage, refusalStatus } from './conflict-offer-pages.js';
import { MAX_OFFERED_TIMES } from './conflict-offer-rules.js';
import { type ConflictOffers, OfferLinkError } from './conflict-offer-service.js';

/**
 * SPEC rule 8: the center head's actions on a conflict (own center; a national admin: any), and
 * the person's one-click link. The link's GET only shows; its POST (the confirming click) moves.
 */
const conflictParams = centerParams.extend({ conflictId: z.coerce.number().int().positive() });
const token = z.string().max(80);

export const conflictOfferRoutes =
  (ctx: { conflictOffers: ConflictOffers }): FastifyPluginAsyncZod =>
  async (app) => {
    const base = '/api/v1/admin/centers/:id/capacity';
    const offers = ctx.conflictOffers;

    app.get(
      `${base}/conflicts/:conflictId/free-times`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Вільні онлайн-часи тієї самої послуги, які можна запропонувати',
          params: conflictParams,
          response: { 200: z.array(freeTimeView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return offers.freeTimes(req.params.id, req.params.conflictId);
      },
    );

    app.post(
      `${base}/conflicts/:conflictId/offers`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Запропонувати інший час (лист з посиланням на кожен час)',
          params: conflictParams,
          body: z.object({
            slotIds: z.array(z.number().int().positive()).min(1).max(MAX_OFFERED_TIMES),
          }),
          response: { 201: z.array(sentOfferView) },
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        return reply
          .status(201)
          .send(await offers.offer(req.params.id, req.params.conflictId, req.body.slotIds, actorOf(req)));
      },
    );

    app.post(
      `${base}/conflicts/:conflictId/cancel`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Скасувати запис з повідомленням (причина — у листі людині)',
          params: conflictParams,
          body: z.object({ reason: z.string().trim().min(3).max(500) }),
          response: { 200: conflictCancelledView },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return offers.cancelWithNotice(req.params.id, req.params.conflictId, req.body.reason, actorOf(req));
      },
    );

    app.get(
      `${base}/conflict-offers`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Надіслані пропозиції часу та їхній стан',
          params: centerParams,
          response: { 200: conflictOffersView },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return offers.offers(req.params.id);
      },
    );

    // The e-mail's link: shows what will happen; changes nothing (mail scanners fetch links).
    app.get(
      '/conflict-offer/:token',
      {
        config: { access: 'public', rateLimit: 'reads' },
        schema: { hide: true, params: z.object({ token }) },
      },
      async (req, reply) => {
        reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
        try {
          const about = await offers.about(req.params.token);
          if (about.refusal)
            return reply.status(refusalStatus(about.refusal)).send(offerRefusedPage(about.refusal));
          return offerConfirmPage(req.params.token, about);
        } catch (error) {
          if (error instanceof OfferLinkError)
            return reply.status(refusalStatus(error.reason)).send(offerRefusedPage(error.reason));
          throw error;
        }
      },
    );

    // The confirming click. A bearer link: guessing is counted like a login attempt.
    app.post(
      '/conflict-offer/:token',
      {
        config: { access: 'public', rateLimit: 'logins' },
        schema: { hide: true, params: z.object({ token }) },
      },
      async (req, reply) => {
        reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
        try {
          const moved = await offers.accept(req.params.token, req.ip);
          return offerMovedPage(moved.startsAt);
        } catch (error) {
          if (error instanceof OfferLinkError)
            return reply.status(refusalStatus(error.reason)).send(offerRefusedPage(error.reason));
          throw error;
        }
      },
    );
  };
