import type { DatabaseHandle } from './db.js';
import { ping } from './health-store.js';
import { pendingMigrations } from './migrate.js';

/** A readiness probe answers within this, however the database behaves. */
const READY_TIMEOUT_MS = 2_000;

export type Readiness =
  | { ready: true }
  | { ready: false; database: 'unreachable' | 'reachable'; pendingMigrations?: string[] };

/** Whether this process can serve now: the database answers and has every migration of this code. */
export async function readiness(handle: DatabaseHandle): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, database: 'unreachable' }), READY_TIMEOUT_MS);
  });
  const check = (async (): Promise<Readiness> => {
    try {
      await ping(handle.db);
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
