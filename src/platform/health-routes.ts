import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DatabaseHandle } from './db.js';
import { healthAnswer, readyAnswer } from './health-api-schema.js';
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
    const config = { access: 'public' as const };
    app.get('/healthz', { config, schema: { hide: true, response: { 200: healthAnswer } } }, async () => ({
      status: 'ok' as const,
    }));
    // Only the 200 is encoded: the 503 is problem details, sent as they are.
    app.get(
      '/readyz',
      { config, schema: { hide: true, response: { 200: readyAnswer } } },
      async (request, reply) => {
        const r = await readiness(deps.handle);
        if (r.ready) return { status: 'ready' as const, database: deps.handle.kind };
        const problem = serviceUnavailable();
        Object.assign(problem.extensions, {
          database: r.database,
          ...(r.pendingMigrations ? { pendingMigrations: r.pendingMigrations } : {}),
        });
        return sendProblem(request, reply, problem);
      },
    );
  };
