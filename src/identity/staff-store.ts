import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/**
 * The staff row an SSO login belongs to: matched by the SSO subject; on the first login by
 * e-mail (case-insensitive), and the subject is then bound to the row in the caller's transaction, so
 * a later e-mail change at the SSO cannot move the account. Undefined when no row matches.
 */
export async function staffForLogin(db: Executor, sub: string, email: string | undefined) {
  return storeOp('staff.findForLogin', async () => {
    const bound = await db.selectFrom('staff').selectAll().where('oidc_sub', '=', sub).executeTakeFirst();
    if (bound || !email) return bound;
    return db
      .updateTable('staff')
      .set({ oidc_sub: sub })
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('oidc_sub', 'is', null)
      .returningAll()
      .executeTakeFirst();
  });
}

/**
 * The SSO is the source of a staff member's name: a login copies its `name` claim to the staff
 * row (in the login transaction, so the login's own audit entry already carries it). Returns the
 * previous name when it changed. Audit entries keep the name they were written with.
 */
export async function copySsoName(
  db: Executor,
  staffId: string,
  name: string | undefined,
): Promise<string | null> {
  if (!name) return null;
  return storeOp('staff.copySsoName', async () => {
    const before = await db
      .selectFrom('staff')
      .select('full_name')
      .where('id', '=', staffId)
      .executeTakeFirst();
    if (!before || before.full_name === name) return null;
    await db.updateTable('staff').set({ full_name: name }).where('id', '=', staffId).execute();
    return before.full_name;
  });
}
