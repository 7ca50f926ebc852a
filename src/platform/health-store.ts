import { sql } from 'kysely';
import type { Executor } from './db.js';

/** One round trip to the database. */
export async function ping(executor: Executor): Promise<void> {
  await sql`SELECT 1`.execute(executor);
}
