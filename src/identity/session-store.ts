import { type Selectable, sql } from 'kysely';
import { batchLoader, perExecutor } from '../platform/batch.js';
import { type Executor, PREPARED } from '../platform/db.js';
import type { SessionKind, SessionsTable } from '../platform/db-schema.js';

/**
 * Session rows by token hash; the reads of concurrent requests go as one query. The columns are
 * named (not `*`): a prepared statement must keep its result shape when a migration adds one.
 * Each hash is looked up by the primary key (a lateral subquery the planner cannot flatten into
 * a join): a generic plan made while `sessions` was small would otherwise scan it whole (#19,
 * test/fairness/hot-path-plans.test.ts).
 */
export const sessionRow = perExecutor((db: Executor) =>
  batchLoader(async (hashes: readonly string[]) => {
    const { rows } = await sql<Selectable<SessionsTable>>`${sql.raw(PREPARED)}
      SELECT s.id_hash, s.kind, s.person_id, s.staff_id, s.role, s.center_id, s.desk_id, s.legal_entity,
             s.csrf_token, s.data, s.created_at, s.last_seen_at, s.expires_at
      FROM unnest(${[...new Set(hashes)]}::text[]) AS q(id_hash)
      JOIN LATERAL (SELECT * FROM sessions WHERE id_hash = q.id_hash OFFSET 0) s ON true`.execute(db);
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

/**
 * Marks sessions as seen at `at` (the idle timeout counts from it). The touches of concurrent
 * requests go as one statement: at the release moment every citizen's first request after
 * signing in touches its session, a write per request before (#19).
 */
const touchBatch = perExecutor((db: Executor) =>
  batchLoader(async (touches: readonly { idHash: string; at: Date }[]) => {
    const at = new Date(Math.max(...touches.map((t) => t.at.getTime())));
    await sql`${sql.raw(PREPARED)}
      UPDATE sessions SET last_seen_at = ${at}
      WHERE id_hash = ANY(${[...new Set(touches.map((t) => t.idHash))]}::text[]) AND last_seen_at < ${at}`.execute(
      db,
    );
    return touches.map(() => undefined);
  }),
);

export async function touchSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await touchBatch(db, { idHash, at });
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
