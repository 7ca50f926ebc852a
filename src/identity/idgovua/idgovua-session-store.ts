import { sha256 } from '../../platform/crypto.js';
import type { Executor } from '../../platform/db.js';

/** Records how the citizen signed in at ID.GOV.UA on the session just created for the login. */
export async function recordSessionAuthType(db: Executor, token: string, authType: string | null) {
  if (!authType) return;
  await db
    .updateTable('sessions')
    .set({ auth_type: authType })
    .where('id_hash', '=', sha256(token))
    .execute();
}

/** The auth type stored with a session (for the audit and tests). */
export async function sessionAuthType(db: Executor, token: string): Promise<string | null> {
  const row = await db
    .selectFrom('sessions')
    .select('auth_type')
    .where('id_hash', '=', sha256(token))
    .executeTakeFirst();
  return row?.auth_type ?? null;
}
