import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { DatabaseHandle } from './db.js';
import { sendProblem, serviceUnavailable } from './http.js';
import { pendingMigrations } from './migrate.js';

/** A readiness probe answers within this, however the database behaves. */
const READY_TIMEOUT_MS = 2_000;

type Readiness =
  | { ready: true }
  | { ready: false; database: 'unreachable' | 'reachable'; pendingMigrations?: string[] };

async function readiness(handle: DatabaseHandle): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, database: 'unreachable' }), READY_TIMEOUT_MS);
  });
  const check = (async (): Promise<Readiness> => {
    try {
      await sql`SELECT 1`.execute(handle.db);
    } catch {
      return { ready: false, database: 'unreachable' };
    }
    try {
      const pending = await pendingMigrations(handle.db);
      return pending.length
        ? { ready: false, database: 'reachable', pendingMigrations: pending }
        : { ready: true };
    } catch {
      return { ready: false, database: 'unreachable' };
    }
  })();
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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
