import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, assertCenter, secureCookiesFor, setSessionCookie } from './auth.js';
import { createDeviceService } from './device-service.js';

/** Kiosk and board credentials: issued and revoked by the center head, exchanged by the device. */
export const deviceRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const devices = createDeviceService({ db: ctx.db, clock: ctx.clock, sessions: ctx.sessions });

    app.post(
      '/api/v1/centers/:id/devices',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['devices'],
          summary: 'Видати ключ кіоску або табло (показується один раз)',
          params: z.object({ id: z.string().max(64) }),
          body: z.object({ kind: z.enum(['terminal', 'board']), label: z.string().min(1).max(100) }),
        },
      },
      async (request, reply) => {
        assertCenter(request, request.params.id);
        const issued = await devices.issue({
          centerId: request.params.id,
          ...request.body,
          actor: actorOf(request),
        });
        return reply.status(201).send(issued);
      },
    );

    app.get(
      '/api/v1/centers/:id/devices',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['devices'],
          summary: 'Ключі пристроїв центру',
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (request) => {
        assertCenter(request, request.params.id);
        return devices.list(request.params.id);
      },
    );

    app.post(
      '/api/v1/devices/:id/revoke',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['devices'],
          summary: 'Відкликати ключ пристрою',
          params: z.object({ id: z.string().uuid() }),
        },
      },
      async (request) => {
        assertCenter(request, await devices.centerOf(request.params.id));
        return devices.revoke({ id: request.params.id, actor: actorOf(request) });
      },
    );

    app.post(
      '/api/v1/devices/session',
      {
        config: { access: 'public' },
        schema: {
          tags: ['devices'],
          summary: 'Сесія кіоску або табло за ключем пристрою',
          body: z.object({ token: z.string().min(20).max(200) }),
        },
      },
      async (request, reply) => {
        const opened = await devices.openSession({
          token: request.body.token,
          replaces: request.sessionToken,
          ip: request.ip,
        });
        // Kiosk and board pages are browsers: the cookie serves them; scripts use the bearer token.
        setSessionCookie(reply, opened.session.token, {
          secureCookies: secureCookiesFor(ctx.config),
          absoluteHours: ctx.config.sessionAbsoluteHours,
        });
        return { token: opened.session.token, role: opened.role, centerId: opened.centerId };
      },
    );
  };
