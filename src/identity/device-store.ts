import { sql } from 'kysely';
import type { Executor, Tx } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import './identity-schema.js';

/** Kiosk and board credentials: only the token's hash is stored. */

export async function centerExists(db: Executor, centerId: string): Promise<boolean> {
  return (
    (await db.selectFrom('centers').select('id').where('id', '=', centerId).executeTakeFirst()) !== undefined
  );
}

export async function insertDevice(
  trx: Tx,
  d: {
    id: string;
    centerId: string;
    kind: 'terminal' | 'board';
    label: string;
    tokenHash: string;
    activationHash: string;
    activationExpiresAt: Date;
    at: Date;
    by: string | null;
  },
) {
  await storeOp('device.issue', () =>
    trx
      .insertInto('device_credentials')
      .values({
        id: d.id,
        center_id: d.centerId,
        kind: d.kind,
        label: d.label,
        token_hash: d.tokenHash,
        activation_hash: d.activationHash,
        activation_expires_at: d.activationExpiresAt,
        created_at: d.at,
        created_by: d.by,
      })
      .execute(),
  );
}

export async function listDevices(db: Executor, centerId: string) {
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
}

export async function deviceCenter(db: Executor, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('device_credentials')
    .select('center_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.center_id;
}

/** Revokes a live credential; undefined when unknown or already revoked. */
export async function revokeDevice(trx: Tx, id: string, at: Date, by: string | null) {
  return trx
    .updateTable('device_credentials')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(['id', 'center_id'])
    .executeTakeFirst();
}

/** Ends every device session opened with the credential; returns their token hashes. */
export async function endDeviceSessions(trx: Tx, credentialId: string): Promise<string[]> {
  const ended = await trx
    .deleteFrom('sessions')
    .where('kind', '=', 'device')
    .where(sql<string>`data->>'credentialId'`, '=', credentialId)
    .returning('id_hash')
    .execute();
  return ended.map((e) => e.id_hash);
}

/** The live credential of a token hash, marked used now; undefined when unknown or revoked. */
export async function claimDeviceUse(trx: Tx, tokenHash: string, at: Date) {
  return trx
    .updateTable('device_credentials')
    .set({ last_used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .returning(['id', 'center_id', 'kind'])
    .executeTakeFirst();
}

/** A new activation code for a live credential (the previous one stops working). */
export async function setActivation(trx: Tx, id: string, hash: string, expiresAt: Date) {
  return storeOp('device.activation', () =>
    trx
      .updateTable('device_credentials')
      .set({ activation_hash: hash, activation_expires_at: expiresAt })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['id', 'center_id', 'kind'])
      .executeTakeFirst(),
  );
}

/**
 * Spends an activation code: one conditional UPDATE, so of two devices racing with one code
 * only one gets a session. Undefined when unknown, expired, used or revoked.
 */
export async function claimActivation(trx: Tx, hash: string, at: Date) {
  return storeOp('device.activate', () =>
    trx
      .updateTable('device_credentials')
      .set({ activation_hash: null, activation_expires_at: null, last_used_at: at })
      .where('activation_hash', '=', hash)
      .where('activation_expires_at', '>', at)
      .where('revoked_at', 'is', null)
      .returning(['id', 'center_id', 'kind'])
      .executeTakeFirst(),
  );
}
