import { type Selectable, sql } from 'kysely';
import { batchLoader, perExecutor } from '../platform/batch.js';
import { type Executor, PREPARED } from '../platform/db.js';
import type { SessionKind, SessionsTable } from '../platform/db-schema.js';

/**
 * Session rows by token hash; the reads of concurrent requests go as one query. The columns are
 * named (not `*`): a prepared statement must keep its result shape when a migration adds one.
 */
export const sessionRow = perExecutor((db: Executor) =>
  batchLoader(async (hashes: readonly string[]) => {
    const { rows } = await sql<Selectable<SessionsTable>>`${sql.raw(PREPARED)}
      SELECT id_hash, kind, person_id, staff_id, role, center_id, desk_id, legal_entity, csrf_token, data,
             created_at, last_seen_at, expires_at
      FROM sessions WHERE id_hash = ANY(${[...new Set(hashes)]}::text[])`.execute(db);
    const byHash = new Map(rows.map((r) => [r.id_hash, r]));
    return hashes.map((h) => byHash.get(h) ?? null);
  }),
);

export interface SessionRowInput {
  idHash: string;
  kind: SessionKind;
  role: string;
  personId: string | null;
  staffId: string | null;
  centerId: string | null;
  deskId: string | null;
  legalEntity: string | null;
  csrfToken: string;
  data: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertSession(db: Executor, s: SessionRowInput) {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      kind: s.kind,
      role: s.role,
      person_id: s.personId,
      staff_id: s.staffId,
      center_id: s.centerId,
      desk_id: s.deskId,
      legal_entity: s.legalEntity,
      csrf_token: s.csrfToken,
      data: JSON.stringify(s.data),
      created_at: s.createdAt,
      last_seen_at: s.createdAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function deleteSession(db: Executor, idHash: string) {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function touchSession(db: Executor, idHash: string, at: Date) {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function updateSession(
  db: Executor,
  idHash: string,
  patch: { deskId?: string | null; legalEntity?: string | null },
) {
  await db
    .updateTable('sessions')
    .set({ desk_id: patch.deskId, legal_entity: patch.legalEntity })
    .where('id_hash', '=', idHash)
    .execute();
}

/** Sessions past their end, and non-device sessions idle since before `idleSince`. */
export async function deleteExpiredSessions(db: Executor, now: Date, idleSince: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb.and([eb('kind', '!=', 'device'), eb('last_seen_at', '<', idleSince)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
