import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { citizenOf } from '../identity/auth.js';
import type { EventBus } from '../platform/events.js';
import type { Hall } from './hall-service.js';

const HEARTBEAT_MS = 15_000;
const RETRY_MS = 5_000;

/**
 * Rule 13, the citizen's side: the live position of one's own registration as Server-Sent
 * Events. Pushed when the center's queue moves (one read per person at most every 2 s), so
 * phones in the hall never poll.
 */
export const checkInRoutes =
  (ctx: { hall: Hall; events: Pick<EventBus, 'onResync'> }): FastifyPluginAsyncZod =>
  async (app) => {
    const streams = new Set<ServerResponse>();
    app.addHook('preClose', async () => {
      for (const s of streams) s.end();
    });

    app.get(
      '/api/v1/me/bookings/:id/events',
      {
        config: { access: ['citizen'], rateLimit: 'reads' },
        schema: {
          tags: ['citizen'],
          summary: 'Моє місце в черзі наживо (Server-Sent Events)',
          params: z.object({ id: z.string().uuid() }),
        },
      },
      async (request, reply) => {
        const { personId } = citizenOf(request);
        const raw = reply.raw;
        let open = false;
        let closed = false;
        let stop: (() => Promise<void>) | undefined;
        let heartbeat: NodeJS.Timeout | undefined;
        const pending: string[] = [];
        const send = (data: unknown) => {
          const frame = `event: position\ndata: ${JSON.stringify(data)}\n\n`;
          if (closed) return;
          if (open) raw.write(frame);
          else pending.push(frame);
        };
        raw.once('close', () => {
          closed = true;
          clearInterval(heartbeat);
          streams.delete(raw);
          stopResync();
          void stop?.();
        });
        // Lost live events while the listening connection was away: read the position again.
        const stopResync = ctx.events.onResync(() => {
          void stop?.().then(async () => {
            if (!closed) stop = await ctx.hall.checkIn.follow(personId, request.params.id, send);
          });
        });
        // Follow first: someone else's registration still gets a problem answer.
        stop = await ctx.hall.checkIn.follow(personId, request.params.id, send);
        reply.hijack();
        if (closed) {
          void stop();
          return;
        }
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        raw.write(`retry: ${RETRY_MS}\n: connected\n\n`);
        open = true;
        for (const frame of pending.splice(0)) raw.write(frame);
        streams.add(raw);
        heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
      },
    );
  };
