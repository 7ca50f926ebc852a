import { type Selectable, sql } from 'kysely';
import { batchLoader, perExecutor } from '../platform/batch.js';
import type { Clock } from '../platform/clock.js';
import { randomToken, sha256 } from '../platform/crypto.js';
import { type Executor, PREPARED } from '../platform/db.js';
import type { SessionKind, SessionsTable } from '../platform/db-schema.js';

/**
 * Server-side sessions in PostgreSQL (any instance can read any session). The cookie carries a
 * random token; the table keeps only its hash. Idle and absolute expiry; rotation on login.
 */

export type Role = 'citizen' | 'operator' | 'center_head' | 'national_admin' | 'terminal' | 'board';

export interface Principal {
  kind: SessionKind;
  role: Role;
  personId: string | null;
  staffId: string | null;
  centerId: string | null;
  deskId: string | null;
  legalEntity: string | null;
  csrfToken: string;
  data: Record<string, unknown>;
}

export interface NewSession {
  kind: SessionKind;
  role: Role;
  personId?: string | null;
  staffId?: string | null;
  centerId?: string | null;
  deskId?: string | null;
  legalEntity?: string | null;
  data?: Record<string, unknown>;
}

export interface SessionServiceDeps {
  clock: Clock;
  idleMinutes: number;
  absoluteHours: number;
  /**
   * How long (ms) a process may reuse a session it read: saves a database round trip on every
   * request of a busy client. A logout or revocation made on another instance takes effect
   * here within this time; 0 reads every request.
   */
  cacheMs?: number;
}

const CACHE_LIMIT = 100_000;

const TOUCH_AFTER_MS = 60_000;

/**
 * Session rows by token hash; the reads of concurrent requests go as one query. The columns are
 * named (not `*`): a prepared statement must keep its result shape when a migration adds one.
 */
const sessionRow = perExecutor((db: Executor) =>
  batchLoader(async (hashes: readonly string[]) => {
    const { rows } = await sql<Selectable<SessionsTable>>`${sql.raw(PREPARED)}
      SELECT id_hash, kind, person_id, staff_id, role, center_id, desk_id, legal_entity, csrf_token, data,
             created_at, last_seen_at, expires_at
      FROM sessions WHERE id_hash = ANY(${[...new Set(hashes)]}::text[])`.execute(db);
    const byHash = new Map(rows.map((r) => [r.id_hash, r]));
    return hashes.map((h) => byHash.get(h) ?? null);
  }),
);

export function createSessionService(deps: SessionServiceDeps) {
  const { clock } = deps;
  const idleMs = deps.idleMinutes * 60_000;
  const absoluteMs = deps.absoluteHours * 3_600_000;
  const cacheMs = deps.cacheMs ?? 0;
  const cache = new Map<
    string,
    { principal: Principal; until: number; lastSeen: number; expiresAt: number }
  >();

  return {
    /** Creates a session and returns the cookie token. Pass `replaces` to rotate on login. */
    async create(
      db: Executor,
      input: NewSession,
      replaces?: string,
    ): Promise<{ token: string; principal: Principal }> {
      if (replaces) {
        cache.delete(sha256(replaces));
        await db.deleteFrom('sessions').where('id_hash', '=', sha256(replaces)).execute();
      }
      const token = randomToken();
      const now = clock.now();
      const csrfToken = randomToken(18);
      await db
        .insertInto('sessions')
        .values({
          id_hash: sha256(token),
          kind: input.kind,
          role: input.role,
          person_id: input.personId ?? null,
          staff_id: input.staffId ?? null,
          center_id: input.centerId ?? null,
          desk_id: input.deskId ?? null,
          legal_entity: input.legalEntity ?? null,
          csrf_token: csrfToken,
          data: JSON.stringify(input.data ?? {}),
          created_at: now,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + absoluteMs),
        })
        .execute();
      return {
        token,
        principal: {
          kind: input.kind,
          role: input.role,
          personId: input.personId ?? null,
          staffId: input.staffId ?? null,
          centerId: input.centerId ?? null,
          deskId: input.deskId ?? null,
          legalEntity: input.legalEntity ?? null,
          csrfToken,
          data: input.data ?? {},
        },
      };
    },

    /** The live session of a token, or null when unknown, idle too long or past its end. */
    async read(db: Executor, token: string): Promise<Principal | null> {
      const idHash = sha256(token);
      const hit = cacheMs > 0 ? cache.get(idHash) : undefined;
      if (hit) {
        const nowMs = clock.now().getTime();
        const idle = hit.principal.kind !== 'device' && nowMs - hit.lastSeen > idleMs;
        if (Date.now() < hit.until && !idle && nowMs < hit.expiresAt) return hit.principal;
        cache.delete(idHash);
      }
      const row = await sessionRow(db, idHash);
      if (!row) return null;
      const now = clock.now();
      const lastSeen = new Date(row.last_seen_at).getTime();
      // Device sessions (kiosk, board) run all day unattended: only the absolute expiry applies.
      const idleExpired = row.kind !== 'device' && now.getTime() - lastSeen > idleMs;
      if (idleExpired || new Date(row.expires_at).getTime() <= now.getTime()) {
        await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
        return null;
      }
      if (now.getTime() - lastSeen > TOUCH_AFTER_MS) {
        await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
      }
      const principal: Principal = {
        kind: row.kind,
        role: row.role as Role,
        personId: row.person_id,
        staffId: row.staff_id,
        centerId: row.center_id,
        deskId: row.desk_id,
        legalEntity: row.legal_entity,
        csrfToken: row.csrf_token,
        data: row.data,
      };
      if (cacheMs > 0) {
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(idHash, {
          principal,
          until: Date.now() + cacheMs,
          lastSeen,
          expiresAt: new Date(row.expires_at).getTime(),
        });
      }
      return principal;
    },

    /** Forgets cached sessions (after a revocation in this process). */
    forget(idHashes?: string[]) {
      if (!idHashes) cache.clear();
      else for (const h of idHashes) cache.delete(h);
    },

    async update(
      db: Executor,
      token: string,
      patch: { deskId?: string | null; legalEntity?: string | null },
    ) {
      cache.delete(sha256(token));
      await db
        .updateTable('sessions')
        .set({ desk_id: patch.deskId, legal_entity: patch.legalEntity })
        .where('id_hash', '=', sha256(token))
        .execute();
    },

    async destroy(db: Executor, token: string): Promise<void> {
      cache.delete(sha256(token));
      await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
    },

    async purgeExpired(db: Executor): Promise<number> {
      const now = clock.now();
      const result = await db
        .deleteFrom('sessions')
        .where((eb) =>
          eb.or([
            eb('expires_at', '<=', now),
            eb.and([eb('kind', '!=', 'device'), eb('last_seen_at', '<', new Date(now.getTime() - idleMs))]),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
