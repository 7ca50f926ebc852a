import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { PolicySource } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';
import { isPolicyKey, type PolicyKey } from './policy-rules.js';

/** SQL of the national policy overrides and their history (migrations/0015). */

export interface OverrideRow {
  key: PolicyKey;
  value: number;
  changedAt: Date;
  changedBy: string;
  changedByName: string | null;
  reason: string;
}

export async function listOverrides(db: Executor): Promise<OverrideRow[]> {
  const rows = await storeOp('policy.listOverrides', () =>
    db
      .selectFrom('policy_overrides')
      .select(['key', 'value', 'changed_at', 'changed_by', 'changed_by_name', 'reason'])
      .execute(),
  );
  // A key this code no longer edits (a newer or older release wrote it) is ignored, not applied.
  return rows
    .filter((r) => isPolicyKey(r.key))
    .map((r) => ({
      key: r.key as PolicyKey,
      value: Number(r.value),
      changedAt: new Date(r.changed_at),
      changedBy: r.changed_by,
      changedByName: r.changed_by_name,
      reason: r.reason,
    }));
}

/**
 * Serialises changes of one key: a transaction-scoped advisory lock on the key (a key without an
 * override has no row to lock), so two admins changing it at once each record the true old value.
 */
export async function lockKey(trx: Executor, key: PolicyKey): Promise<void> {
  await storeOp('policy.lockKey', () =>
    trx
      .selectNoFrom((eb) =>
        eb.fn('pg_advisory_xact_lock', [eb.fn('hashtext', [eb.val(`policy:${key}`)])]).as('l'),
      )
      .execute(),
  );
}

export async function overrideOf(trx: Executor, key: PolicyKey): Promise<number | null> {
  const row = await storeOp('policy.overrideOf', () =>
    trx.selectFrom('policy_overrides').select('value').where('key', '=', key).executeTakeFirst(),
  );
  return row ? Number(row.value) : null;
}

export interface ChangeRow {
  key: PolicyKey;
  oldValue: number;
  oldSource: PolicySource;
  newValue: number;
  newSource: PolicySource;
  at: Date;
  staffId: string;
  reason: string;
}

/** The staff member's name as it is now, copied into the rows (it must not change with the row later). */
const nameOf = (trx: Executor, staffId: string) =>
  trx.selectFrom('staff').select('full_name').where('id', '=', staffId).limit(1);

export async function writeOverride(trx: Executor, c: ChangeRow, value: number | null): Promise<void> {
  await storeOp('policy.writeOverride', async () => {
    if (value === null) {
      await trx.deleteFrom('policy_overrides').where('key', '=', c.key).execute();
    } else {
      await trx
        .insertInto('policy_overrides')
        .values({
          key: c.key,
          value,
          changed_at: c.at,
          changed_by: c.staffId,
          changed_by_name: nameOf(trx, c.staffId),
          reason: c.reason,
        })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            changed_at: eb.ref('excluded.changed_at'),
            changed_by: eb.ref('excluded.changed_by'),
            changed_by_name: eb.ref('excluded.changed_by_name'),
            reason: eb.ref('excluded.reason'),
          })),
        )
        .execute();
    }
    await trx
      .insertInto('policy_changes')
      .values({
        key: c.key,
        old_value: c.oldValue,
        old_source: c.oldSource,
        new_value: c.newValue,
        new_source: c.newSource,
        changed_at: c.at,
        changed_by: c.staffId,
        changed_by_name: nameOf(trx, c.staffId),
        reason: c.reason,
      })
      .execute();
  });
}

export async function listChanges(db: Executor, limit: number) {
  const rows = await storeOp('policy.listChanges', () =>
    db.selectFrom('policy_changes').selectAll().orderBy('id', 'desc').limit(limit).execute(),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    key: r.key,
    oldValue: Number(r.old_value),
    oldSource: r.old_source,
    newValue: Number(r.new_value),
    newSource: r.new_source,
    at: new Date(r.changed_at).toISOString(),
    byId: r.changed_by,
    byName: r.changed_by_name,
    reason: r.reason,
  }));
}

/**
 * The last online day accounted for (migration 0023), locked for this transaction. A database
 * that never had one gets `initial` and answers null: a new installation opens its horizon as
 * configured.
 */
export async function lockReleaseMark(db: Executor, initial: string, now: Date): Promise<string | null> {
  return storeOp('policy.releaseMark', async () => {
    const created = await sql<{ last_day: string }>`
      INSERT INTO release_marks (id, last_day, updated_at) VALUES (true, ${initial}::date, ${now})
      ON CONFLICT (id) DO NOTHING RETURNING to_char(last_day, 'YYYY-MM-DD') AS last_day`.execute(db);
    if (created.rows.length) return null;
    const { rows } = await sql<{ last_day: string }>`
      SELECT to_char(last_day, 'YYYY-MM-DD') AS last_day FROM release_marks WHERE id FOR UPDATE`.execute(db);
    return rows[0]?.last_day ?? null;
  });
}

export async function setReleaseMark(db: Executor, day: string, now: Date): Promise<void> {
  await storeOp('policy.setReleaseMark', () =>
    sql`UPDATE release_marks SET last_day = ${day}::date, updated_at = ${now} WHERE id`.execute(db),
  );
}
