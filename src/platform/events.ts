import { sql } from 'kysely';
import type { DatabaseHandle, Executor } from './db.js';

/**
 * Publish/subscribe over PostgreSQL LISTEN/NOTIFY (PGlite supports it in-process), so that every
 * server instance on one database hears every event. Publishing inside a transaction delivers on
 * commit and never on rollback.
 */
export interface EventBus {
  publish(executor: Executor, channel: string, event: object): Promise<void>;
  subscribe(channel: string, handler: (event: Record<string, unknown>) => void): Promise<() => Promise<void>>;
  /**
   * Called when events may have been missed: the database connection that listens was lost and
   * is back (every channel subscribed again). Whoever shows state built from events re-reads it.
   * Returns the function that stops the calls.
   */
  onResync(handler: () => void): () => void;
}

export function createEventBus(handle: DatabaseHandle): EventBus {
  return {
    async publish(executor, channel, event) {
      await sql`SELECT pg_notify(${channel}, ${JSON.stringify(event)})`.execute(executor);
    },
    async subscribe(channel, handler) {
      return handle.listen(channel, (payload) => {
        try {
          handler(JSON.parse(payload) as Record<string, unknown>);
        } catch {
          // A malformed payload is not ours to act on.
        }
      });
    },
    onResync(handler) {
      return handle.onResync(handler);
    },
  };
}

/** Channel names: one per center for the hall, one global for availability caches. */
export const channels = {
  center: (centerId: string) => `center_${centerId.replace(/[^a-zA-Z0-9_]/g, '_')}`,
  availability: 'availability',
} as const;
