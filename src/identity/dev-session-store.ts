import type { Executor } from '../platform/db.js';
import type { StaffRole } from '../platform/db-schema.js';

export async function centerExists(db: Executor, centerId: string): Promise<boolean> {
  return (
    (await db.selectFrom('centers').select('id').where('id', '=', centerId).executeTakeFirst()) !== undefined
  );
}

/** The first staff member (by id) with one of the roles, in the center unless `centerId` is null. */
export async function firstStaff(db: Executor, roles: StaffRole[], centerId: string | null) {
  return db
    .selectFrom('staff')
    .select('id')
    .where('role', 'in', roles)
    .$if(centerId !== null, (q) => q.where('center_id', '=', centerId ?? ''))
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}
