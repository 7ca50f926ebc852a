import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit-store.js';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import { randomToken, sha256 } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { ACTIVATION_MINUTES, newActivationCode, normalizeActivationCode } from './device-code.js';
import * as store from './device-store.js';
import type { SessionService } from './session-service.js';

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

const expiryOf = (now: Date) => new Date(now.getTime() + ACTIVATION_MINUTES * 60_000);

export function createDeviceService(deps: DeviceDeps) {
  const { db, clock } = deps;
  return {
    async issue(input: { centerId: string; kind: DeviceKind; label: string; actor: Actor }) {
      const now = clock.now();
      const token = `ezd_${randomToken(32)}`;
      // The head reads the short code (or shows its QR) to the device: nobody types the key.
      const activationCode = newActivationCode();
      const activationExpiresAt = expiryOf(now);
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        if (!(await store.centerExists(trx, input.centerId))) throw new DomainError('NOT_FOUND');
        await store.insertDevice(trx, {
          id,
          centerId: input.centerId,
          kind: input.kind,
          label: input.label,
          tokenHash: sha256(token),
          activationHash: sha256(activationCode),
          activationExpiresAt,
          at: now,
          by: input.actor.id,
        });
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
      return {
        id,
        kind: input.kind,
        label: input.label,
        centerId: input.centerId,
        token,
        activationCode,
        activationExpiresAt: activationExpiresAt.toISOString(),
      };
    },

    /** A fresh activation code for a live credential (a reinstalled kiosk); the old code dies. */
    async newActivation(input: { id: string; actor: Actor }) {
      const now = clock.now();
      const activationCode = newActivationCode();
      const activationExpiresAt = expiryOf(now);
      return db.transaction().execute(async (trx) => {
        const row = await store.setActivation(trx, input.id, sha256(activationCode), activationExpiresAt);
        if (!row) throw new DomainError('NOT_FOUND');
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'device.activation_issued',
          subjectKind: 'device',
          subjectId: row.id,
          centerId: row.center_id,
          ip: input.actor.ip,
        });
        return { id: row.id, activationCode, activationExpiresAt: activationExpiresAt.toISOString() };
      });
    },

    list: (centerId: string) => store.listDevices(db, centerId),

    /** Center of a credential (for the route's center check); NOT_FOUND when unknown. */
    async centerOf(id: string): Promise<string> {
      const centerId = await store.deviceCenter(db, id);
      if (!centerId) throw new DomainError('NOT_FOUND');
      return centerId;
    },

    async revoke(input: { id: string; actor: Actor }) {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await store.revokeDevice(trx, input.id, now, input.actor.id);
        if (!row) throw new DomainError('NOT_FOUND');
        deps.sessions.forget(await store.endDeviceSessions(trx, input.id));
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

    /**
     * Exchanges a device key, or a live activation code (then spent), for a device session;
     * UNAUTHENTICATED for unknown, revoked, expired or used.
     */
    async openSession(
      input: ({ token: string } | { code: string }) & { replaces: string | null; ip: string },
    ) {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const code = 'code' in input ? normalizeActivationCode(input.code) : null;
        const cred =
          'code' in input
            ? code
              ? await store.claimActivation(trx, sha256(code), now)
              : undefined
            : await store.claimDeviceUse(trx, sha256(input.token), now);
        if (!cred)
          throw new DomainError('UNAUTHENTICATED', {
            detail:
              'code' in input
                ? 'Код активації невідомий, прострочений або вже використаний.'
                : 'Невідомий або відкликаний ключ пристрою.',
          });
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
          details: { via: 'code' in input ? 'activation_code' : 'device_credential' },
        });
        return { session, role: cred.kind, centerId: cred.center_id };
      });
    },
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
