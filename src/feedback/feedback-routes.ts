import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertCenter, citizenOf } from '../identity/auth.js';
import { DomainError } from '../platform/problems.js';
import { feedbackAbout, feedbackGiven, feedbackSummary } from './feedback-api-schema.js';
import { feedbackFormPage, feedbackResultPage } from './feedback-pages.js';
import { MAX_COMMENT } from './feedback-rules.js';
import type { FeedbackService } from './feedback-service.js';

/** Rule 11: rating a served visit, by the email's single-use link or from "my registrations". */
const token = z.string().regex(/^[\w-]{20,128}$/, 'Недійсне посилання');
const ratingBody = z.object({
  rating: z.coerce.number().int().min(1).max(5),
  comment: z.string().max(MAX_COMMENT).nullish(),
});

export const feedbackRoutes =
  ({ feedback }: { feedback: FeedbackService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/feedback/:token',
      {
        config: { access: 'public' },
        schema: {
          tags: ['feedback'],
          summary: 'Про який візит ця оцінка (без персональних даних)',
          params: z.object({ token }),
          response: { 200: feedbackAbout },
        },
      },
      async (request) => feedback.about(request.params.token),
    );

    app.post(
      '/api/v1/feedback/:token',
      {
        // The link is a bearer token: guessing one is counted like a login attempt.
        config: { access: 'public', rateLimit: 'logins' },
        schema: {
          tags: ['feedback'],
          summary: 'Оцінити візит за одноразовим посиланням з листа',
          params: z.object({ token }),
          body: ratingBody,
          response: { 201: feedbackGiven },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await feedback.rateByToken(request.params.token, request.body, request.ip)),
    );

    app.post(
      '/api/v1/me/bookings/:id/feedback',
      {
        config: { access: ['citizen'], rateLimit: false },
        schema: {
          tags: ['feedback'],
          summary: 'Оцінити свій візит (лише обслужений, один раз)',
          params: z.object({ id: z.string().uuid() }),
          body: ratingBody,
          response: { 201: feedbackGiven },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await feedback.rateOwn(citizenOf(request).personId, request.params.id, request.body, request.ip),
          ),
    );

    app.get(
      '/api/v1/admin/centers/:id/feedback/summary',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['admin'],
          summary: 'Оцінки візитів: середня і кількість по центру та вікнах',
          params: z.object({ id: z.string().max(64) }),
          response: { 200: feedbackSummary },
        },
      },
      async (request) => {
        assertCenter(request, request.params.id);
        return feedback.summary(request.params.id);
      },
    );

    // The page the email links to: a plain HTML form, works without JavaScript.
    app.get(
      '/feedback/:token',
      {
        config: { access: 'public' },
        schema: { hide: true, params: z.object({ token: z.string().max(128) }) },
      },
      async (request, reply) => {
        reply.type('text/html; charset=utf-8');
        try {
          const about = await feedback.about(request.params.token);
          return about.rated ? feedbackResultPage('rated') : feedbackFormPage(request.params.token, about);
        } catch (error) {
          if (error instanceof DomainError) return reply.status(404).send(feedbackResultPage('invalid'));
          throw error;
        }
      },
    );

    app.post(
      '/feedback/:token',
      {
        config: { access: 'public', rateLimit: 'logins' },
        schema: {
          hide: true,
          params: z.object({ token: z.string().max(128) }),
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (request, reply) => {
        reply.type('text/html; charset=utf-8');
        const parsed = ratingBody.safeParse(request.body);
        if (!parsed.success) return reply.status(400).send(feedbackResultPage('invalid-input'));
        try {
          await feedback.rateByToken(request.params.token, parsed.data, request.ip);
          return feedbackResultPage('thanks');
        } catch (error) {
          if (error instanceof DomainError)
            return reply
              .status(error.status)
              .send(feedbackResultPage(error.code === 'CONFLICT' ? 'rated' : 'invalid'));
          throw error;
        }
      },
    );
  };
