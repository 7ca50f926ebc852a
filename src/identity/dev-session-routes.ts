import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CookieOptions, setSessionCookie } from './auth.js';
import type { DevSessionService } from './dev-session-service.js';
import { devSessionAnswer } from './identity-api-schema.js';

/**
 * Demo mode only (production refuses to start with it): a shortcut for automation that sets the
 * same session cookie a real login sets.
 */
const citizenBody = z.object({
  rnokpp: z.string().optional(),
  passport: z.string().optional(),
  lastName: z.string().min(1).max(100),
  firstName: z.string().min(1).max(100),
  middleName: z.string().max(100).optional(),
  email: z.string().email().optional(),
  phone: z.string().optional(),
  legalEntity: z.object({ edrpou: z.string(), name: z.string().optional() }).optional(),
});
const staffBody = z.object({
  role: z.enum(['operator', 'center_head', 'terminal', 'board', 'national_admin']),
  centerId: z.string().optional(),
  deskId: z.string().optional(),
});

export const devSessionRoutes =
  ({
    devSessions,
    cookies,
  }: {
    devSessions: DevSessionService;
    cookies: CookieOptions;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/dev/session',
      {
        config: { access: 'public', rateLimit: 'logins' },
        schema: { hide: true, body: z.union([staffBody, citizenBody]), response: { 200: devSessionAnswer } },
      },
      async (request, reply) => {
        const result = await devSessions.signIn(request.body, request.sessionToken, request.ip);
        setSessionCookie(reply, result.session.token, cookies);
        return { ...result.who, token: result.session.token, csrfToken: result.session.principal.csrfToken };
      },
    );
  };
