import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertCenter, type CookieOptions, setSessionCookie } from './auth.js';
import type { DeviceService } from './device-service.js';
import {
  deviceActivation,
  deviceIssued,
  deviceRevoked,
  deviceSession,
  deviceView,
} from './identity-api-schema.js';

/** Kiosk and board credentials: issued and revoked by the center head, exchanged by the device. */
export const deviceRoutes =
  ({ devices, cookies }: { devices: DeviceService; cookies: CookieOptions }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/v1/centers/:id/devices',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['devices'],
          summary: 'Видати ключ кіоску або табло (показується один раз)',
          params: z.object({ id: z.string().max(64) }),
          body: z.object({ kind: z.enum(['terminal', 'board']), label: z.string().min(1).max(100) }),
          response: { 201: deviceIssued },
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
          response: { 200: z.array(deviceView) },
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
          response: { 200: deviceRevoked },
        },
      },
      async (request) => {
        assertCenter(request, await devices.centerOf(request.params.id));
        return devices.revoke({ id: request.params.id, actor: actorOf(request) });
      },
    );

    app.post(
      '/api/v1/devices/:id/activation',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['devices'],
          summary: 'Новий код активації пристрою (10 хвилин, одноразовий)',
          params: z.object({ id: z.string().uuid() }),
          response: { 200: deviceActivation },
        },
      },
      async (request) => {
        assertCenter(request, await devices.centerOf(request.params.id));
        return devices.newActivation({ id: request.params.id, actor: actorOf(request) });
      },
    );

    app.post(
      '/api/v1/devices/session',
      {
        // A guessed device key is a login attempt: counted like one.
        config: { access: 'public', rateLimit: 'logins' },
        schema: {
          tags: ['devices'],
          summary: 'Сесія кіоску або табло за ключем пристрою',
          body: z.union([
            z.object({ token: z.string().min(20).max(200) }).strict(),
            // The short code from the admin console (or its QR): single use, 10 minutes.
            z.object({ code: z.string().trim().min(8).max(20) }).strict(),
          ]),
          response: { 200: deviceSession },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const opened = await devices.openSession({
          ...('code' in b ? { code: b.code } : { token: b.token }),
          replaces: request.sessionToken,
          ip: request.ip,
        });
        // Kiosk and board pages are browsers: the cookie serves them; scripts use the bearer token.
        setSessionCookie(reply, opened.session.token, cookies);
        return { token: opened.session.token, role: opened.role, centerId: opened.centerId };
      },
    );
  };
