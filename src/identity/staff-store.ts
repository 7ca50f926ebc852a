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
