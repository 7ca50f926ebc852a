import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DatabaseHandle } from './db.js';
import { sendProblem, serviceUnavailable } from './http.js';
import { readiness } from './readiness.js';

/**
 * `/healthz`: the process is alive (its event loop answers); never touches the database, so a
 * database outage does not get healthy processes restarted. `/readyz`: this process can serve
 * now (database reachable, every migration of this code applied); a load balancer sends no
 * traffic while it answers 503.
 */
export const healthRoutes =
  (deps: { handle: DatabaseHandle }): FastifyPluginAsyncZod =>
  async (app) => {
    const hidden = { config: { access: 'public' as const }, schema: { hide: true } };
    app.get('/healthz', hidden, async () => ({ status: 'ok' }));
    app.get('/readyz', hidden, async (request, reply) => {
      const r = await readiness(deps.handle);
      if (r.ready) return { status: 'ready', database: deps.handle.kind };
      const problem = serviceUnavailable();
      Object.assign(problem.extensions, {
        database: r.database,
        ...(r.pendingMigrations ? { pendingMigrations: r.pendingMigrations } : {}),
      });
      return sendProblem(request, reply, problem);
    });
  };
