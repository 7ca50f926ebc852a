import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from './clock.js';
import { type Day, kyivDay } from './kyiv-time.js';

export const serverTimeSchema = z.object({
  /** The server's instant; screens keep their offset to it and never read the device's clock. */
  now: z.string().datetime(),
  /** The Kyiv calendar day of `now`. */
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The online booking window (SPEC §2, rule 8), both ends included. */
  horizonFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  horizonTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  timeZone: z.literal('Europe/Kyiv'),
  /** The rules screens state in words ("up to 21 days ahead", "until 2 hours before"). */
  policy: z.object({
    horizonDays: z.number().int(),
    cancelBeforeMinutes: z.number().int(),
    personOnlinePerMonth: z.number().int(),
    noShowBlockThreshold: z.number().int(),
  }),
});

export type ServerTime = z.infer<typeof serverTimeSchema>;

/**
 * The one source of "now" for every screen: a phone or kiosk with a wrong clock must still
 * offer the server's booking window and show the server's date. The horizon comes in as a
 * function so that the booking rule stays in one place and this folder does not import it.
 */
export const timeRoutes =
  (deps: {
    clock: Clock;
    horizon: (now: Date) => { first: Day; last: Day };
    policy: ServerTime['policy'];
  }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/time',
      {
        config: { access: 'public' },
        schema: {
          tags: ['time'],
          summary: 'Час сервера, сьогоднішній день у Києві і вікно онлайн-запису',
          response: { 200: serverTimeSchema },
        },
      },
      async (_request, reply): Promise<ServerTime> => {
        const now = deps.clock.now();
        const { first, last } = deps.horizon(now);
        reply.header('cache-control', 'no-store');
        return {
          now: now.toISOString(),
          today: kyivDay(now),
          horizonFrom: first,
          horizonTo: last,
          timeZone: 'Europe/Kyiv',
          policy: {
            horizonDays: deps.policy.horizonDays,
            cancelBeforeMinutes: deps.policy.cancelBeforeMinutes,
            personOnlinePerMonth: deps.policy.personOnlinePerMonth,
            noShowBlockThreshold: deps.policy.noShowBlockThreshold,
          },
        };
      },
    );
  };
