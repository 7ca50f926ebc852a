import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/**
 * What the conflict mails (SPEC rule 8) read when they are sent: the head's offers still open
 * (an offer accepted, withdrawn or expired meanwhile is not offered again) and the reason a
 * registration was cancelled. The outbox payload carries ids only.
 */
export interface OfferRow {
  id: string;
  registration_id: string;
  slot_id: number;
  starts_at: Date;
  expires_at: Date;
}

export async function openConflictOffers(
  db: Executor,
  registrationId: string,
  ids: string[],
  now: Date,
): Promise<OfferRow[]> {
  if (ids.length === 0) return [];
  return storeOp('notify.conflictOffers', async () => {
    const { rows } = await sql<OfferRow>`
      SELECT id, registration_id, slot_id, starts_at, expires_at FROM conflict_offers
      WHERE id = ANY(${ids}::uuid[]) AND registration_id = ${registrationId}::uuid
        AND status = 'sent' AND expires_at > ${now}
      ORDER BY starts_at`.execute(db);
    return rows.map((r) => ({
      ...r,
      slot_id: Number(r.slot_id),
      starts_at: new Date(r.starts_at),
      expires_at: new Date(r.expires_at),
    }));
  });
}

/** The head's reason of a conflict settled by cancelling the registration. */
export async function cancellationReason(db: Executor, conflictId: number): Promise<string | undefined> {
  return storeOp('notify.conflictReason', async () => {
    const { rows } = await sql<{ resolution: string | null }>`
      SELECT resolution FROM capacity_conflicts WHERE id = ${conflictId}::bigint AND outcome = 'cancelled'`.execute(
      db,
    );
    return rows[0]?.resolution ?? undefined;
  });
}
