import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { audit } from '../audit/audit-store.js';
import type { Clock } from '../platform/clock.js';
import { randomToken, sha256 } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { DomainError, storeOp } from '../platform/problems.js';
import type { SessionService } from './session-service.js';
import './identity-schema.js';

/**
 * Kiosk and board credentials (one per device): a center head issues one, the long random
 * token is shown once and only its hash is kept; revoking it also ends the device's sessions.
 * The device exchanges the token for a device session (bearer token or cookie).
 */
export interface DeviceDeps {
  db: Db;
  clock: Clock;
  sessions: SessionService;
}

export type DeviceKind = 'terminal' | 'board';

export interface Actor {
  kind: string;
  id: string | null;
  ip: string;
}

export function createDeviceService(deps: DeviceDeps) {
  const { db, clock } = deps;
  return {
    async issue(input: { centerId: string; kind: DeviceKind; label: string; actor: Actor }) {
      const now = clock.now();
      const token = `ezd_${randomToken(32)}`;
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        const center = await trx
          .selectFrom('centers')
          .select('id')
          .where('id', '=', input.centerId)
          .executeTakeFirst();
        if (!center) throw new DomainError('NOT_FOUND');
        await storeOp('device.issue', () =>
          trx
            .insertInto('device_credentials')
            .values({
              id,
              center_id: input.centerId,
              kind: input.kind,
              label: input.label,
              token_hash: sha256(token),
              created_at: now,
              created_by: input.actor.id,
            })
            .execute(),
        );
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'device.issued',
          subjectKind: 'device',
          subjectId: id,
          centerId: input.centerId,
          ip: input.actor.ip,
          details: { kind: input.kind, label: input.label },
        });
      });
      return { id, kind: input.kind, label: input.label, centerId: input.centerId, token };
    },

    async list(centerId: string) {
      const rows = await db
        .selectFrom('device_credentials')
        .select(['id', 'kind', 'label', 'created_at', 'last_used_at', 'revoked_at'])
        .where('center_id', '=', centerId)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        label: r.label,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
      }));
    },

    /** Center of a credential (for the route's center check); NOT_FOUND when unknown. */
    async centerOf(id: string): Promise<string> {
      const row = await db
        .selectFrom('device_credentials')
        .select('center_id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw new DomainError('NOT_FOUND');
      return row.center_id;
    },

    async revoke(input: { id: string; actor: Actor }) {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('device_credentials')
          .set({ revoked_at: now, revoked_by: input.actor.id })
          .where('id', '=', input.id)
          .where('revoked_at', 'is', null)
          .returning(['id', 'center_id'])
          .executeTakeFirst();
        if (!row) throw new DomainError('NOT_FOUND');
        const ended = await trx
          .deleteFrom('sessions')
          .where('kind', '=', 'device')
          .where(sql<string>`data->>'credentialId'`, '=', input.id)
          .returning('id_hash')
          .execute();
        deps.sessions.forget(ended.map((e) => e.id_hash));
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'device.revoked',
          subjectKind: 'device',
          subjectId: input.id,
          centerId: row.center_id,
          ip: input.actor.ip,
        });
        return { id: row.id, status: 'revoked' as const };
      });
    },

    /** Exchanges a device credential for a device session; UNAUTHENTICATED for unknown or revoked. */
    async openSession(input: { token: string; replaces: string | null; ip: string }) {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const cred = await trx
          .updateTable('device_credentials')
          .set({ last_used_at: now })
          .where('token_hash', '=', sha256(input.token))
          .where('revoked_at', 'is', null)
          .returning(['id', 'center_id', 'kind'])
          .executeTakeFirst();
        if (!cred)
          throw new DomainError('UNAUTHENTICATED', { detail: 'Невідомий або відкликаний ключ пристрою.' });
        const session = await deps.sessions.create(
          trx,
          { kind: 'device', role: cred.kind, centerId: cred.center_id, data: { credentialId: cred.id } },
          input.replaces ?? undefined,
        );
        await audit(trx, {
          at: now,
          actorKind: cred.kind,
          actorId: cred.id,
          action: 'login',
          subjectKind: 'device',
          subjectId: cred.id,
          centerId: cred.center_id,
          ip: input.ip,
          details: { via: 'device_credential' },
        });
        return { session, role: cred.kind, centerId: cred.center_id };
      });
    },
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
