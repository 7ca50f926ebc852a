import { LRUCache } from 'lru-cache';
import type { Clock } from '../platform/clock.js';
import { randomToken, sha256 } from '../platform/crypto.js';
import type { Executor } from '../platform/db.js';
import type { SessionKind } from '../platform/db-schema.js';
import * as store from './session-store.js';

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

/**
 * Sessions a process keeps at most (least recently used go first; each for `cacheMs` only). At
 * the release moment 200,000 people each send a request or two: an unbounded map kept every one
 * of them (a few hundred bytes each) long after its `cacheMs` had passed (issue #19: peak RSS).
 */
const CACHE_LIMIT = 20_000;

const TOUCH_AFTER_MS = 60_000;

export function createSessionService(deps: SessionServiceDeps) {
  const { clock } = deps;
  const idleMs = deps.idleMinutes * 60_000;
  const absoluteMs = deps.absoluteHours * 3_600_000;
  const cacheMs = deps.cacheMs ?? 0;
  const cache = new LRUCache<string, { principal: Principal; lastSeen: number; expiresAt: number }>({
    max: CACHE_LIMIT,
    ttl: Math.max(1, cacheMs),
  });

  return {
    /** Creates a session and returns the cookie token. Pass `replaces` to rotate on login. */
    async create(
      db: Executor,
      input: NewSession,
      replaces?: string,
    ): Promise<{ token: string; principal: Principal }> {
      if (replaces) {
        cache.delete(sha256(replaces));
        await store.deleteSession(db, sha256(replaces));
      }
      const token = randomToken();
      const now = clock.now();
      const csrfToken = randomToken(18);
      await store.insertSession(db, {
        idHash: sha256(token),
        kind: input.kind,
        role: input.role,
        personId: input.personId ?? null,
        staffId: input.staffId ?? null,
        centerId: input.centerId ?? null,
        deskId: input.deskId ?? null,
        legalEntity: input.legalEntity ?? null,
        csrfToken,
        data: input.data ?? {},
        createdAt: now,
        expiresAt: new Date(now.getTime() + absoluteMs),
      });
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
        if (!idle && nowMs < hit.expiresAt) return hit.principal;
        cache.delete(idHash);
      }
      const row = await store.sessionRow(db, idHash);
      if (!row) return null;
      const now = clock.now();
      const lastSeen = new Date(row.last_seen_at).getTime();
      // Device sessions (kiosk, board) run all day unattended: only the absolute expiry applies.
      const idleExpired = row.kind !== 'device' && now.getTime() - lastSeen > idleMs;
      if (idleExpired || new Date(row.expires_at).getTime() <= now.getTime()) {
        await store.deleteSession(db, idHash);
        return null;
      }
      if (now.getTime() - lastSeen > TOUCH_AFTER_MS) {
        await store.touchSession(db, idHash, now);
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
        cache.set(idHash, {
          principal,
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
      await store.updateSession(db, sha256(token), patch);
    },

    async destroy(db: Executor, token: string): Promise<void> {
      cache.delete(sha256(token));
      await store.deleteSession(db, sha256(token));
    },

    async purgeExpired(db: Executor): Promise<number> {
      const now = clock.now();
      return store.deleteExpiredSessions(db, now, new Date(now.getTime() - idleMs));
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
