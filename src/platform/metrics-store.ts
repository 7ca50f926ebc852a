import { sql } from 'kysely';
import type { Db, Executor } from './db.js';

export interface OutboxBacklog {
  /** Messages per status among pending, sending (claimed by a worker) and dead (given up). */
  byStatus: Record<'pending' | 'sending' | 'dead', number>;
  /** Creation time of the oldest message not yet delivered (pending or sending). */
  oldestUndelivered: Date | null;
}

/** The outbox's undelivered messages: the partial index on pending/sending rows serves it. */
export async function outboxBacklog(executor: Executor): Promise<OutboxBacklog> {
  const rows = (
    await sql<{ status: 'pending' | 'sending' | 'dead'; n: number; oldest: Date | null }>`
      SELECT status, count(*)::int AS n, min(created_at) AS oldest
      FROM outbox WHERE status IN ('pending', 'sending', 'dead') GROUP BY status`.execute(executor)
  ).rows;
  const byStatus = { pending: 0, sending: 0, dead: 0 };
  let oldest: Date | null = null;
  for (const row of rows) {
    byStatus[row.status] = row.n;
    if (row.status !== 'dead' && row.oldest && (!oldest || row.oldest < oldest)) oldest = row.oldest;
  }
  return { byStatus, oldestUndelivered: oldest };
}

export interface CenterQueue {
  centerId: string;
  waiting: number;
  /** Since when the longest-waiting person waits: a walk-in from the ticket, online from the slot. */
  longestSince: Date | null;
}

/**
 * Who waits in each center's hall now: today's registrations not yet called, walk-ins from their
 * ticket and online bookings once their time has come. One index probe per center (the hall
 * index leads with center and day), not a scan of every registration.
 */
export async function hallQueues(executor: Executor, today: string, now: Date): Promise<CenterQueue[]> {
  const rows = (
    await sql<{ center_id: string; waiting: number; since: Date | null }>`
      SELECT c.id AS center_id, count(r.id)::int AS waiting,
             min(CASE WHEN r.channel = 'terminal' THEN r.created_at ELSE r.starts_at END) AS since
      FROM centers c
      JOIN registrations r ON r.center_id = c.id AND r.day = ${today} AND r.status = 'booked'
        AND (r.channel = 'terminal' OR r.starts_at <= ${now})
      GROUP BY c.id`.execute(executor)
  ).rows;
  return rows.map((r) => ({ centerId: r.center_id, waiting: r.waiting, longestSince: r.since }));
}

/** Runs the scrape's reads in one short read-only transaction that cannot hold the database up. */
export async function readForScrape<T>(db: Db, read: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`SET TRANSACTION READ ONLY`.execute(tx);
    await sql`SET LOCAL statement_timeout = 1000`.execute(tx);
    return read(tx);
  });
}
