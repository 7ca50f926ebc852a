import type { Executor } from '../../platform/db.js';
import { storeOp } from '../../platform/problems.js';

/** The development SSO's accounts: staff rows with an e-mail (demo mode and tests only). */

/** Gives every staff row without an e-mail a demo one (`<id>@staff.e-zapys.local`). */
export async function fillDemoStaffEmails(db: Executor): Promise<void> {
  await storeOp('staff.fillDemoEmails', async () => {
    const missing = await db.selectFrom('staff').select('id').where('email', 'is', null).execute();
    for (const row of missing) {
      await db
        .updateTable('staff')
        .set({ email: `${row.id}@staff.e-zapys.local` })
        .where('id', '=', row.id)
        .where('email', 'is', null)
        .execute();
    }
  });
}

/** Active staff with an e-mail, with their center's name. */
export async function activeStaffAccounts(db: Executor) {
  return storeOp('staff.listAccounts', () =>
    db
      .selectFrom('staff')
      .leftJoin('centers', 'centers.id', 'staff.center_id')
      .select([
        'staff.email',
        'staff.full_name',
        'staff.role',
        'staff.center_id',
        'centers.name as center_name',
      ])
      .where('staff.active', '=', true)
      .where('staff.email', 'is not', null)
      .execute(),
  );
}

/** The active staff member whose e-mail is `email` (case-insensitive), for the SSO's claims. */
export async function activeStaffByEmail(db: Executor, email: string) {
  return storeOp('staff.findByEmail', () =>
    db
      .selectFrom('staff')
      .select(['email', 'full_name'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('active', '=', true)
      .executeTakeFirst(),
  );
}
