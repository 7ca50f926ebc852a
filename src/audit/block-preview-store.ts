import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/** Rule 4's preview reads: the blocked person, the centers involved, and why the block was set. */

export async function blockedPerson(db: Executor, idHash: string) {
  return storeOp('blockPreview.person', () =>
    db
      .selectFrom('persons')
      .select([
        'id',
        'id_kind',
        'id_enc',
        'last_name',
        'first_name',
        'middle_name',
        'blocked_until',
        'blocked_at',
        'block_center_id',
      ])
      .where('id_hash', '=', idHash)
      .executeTakeFirst(),
  );
}

export async function centerView(db: Executor, centerId: string | null) {
  if (!centerId) return null;
  const row = await storeOp('blockPreview.center', () =>
    db.selectFrom('centers').select(['id', 'name', 'address']).where('id', '=', centerId).executeTakeFirst(),
  );
  return row ?? null;
}

/** The center of the person's last registration (by its time): whose head may lift the block. */
export async function lastRegistrationCenterId(db: Executor, personId: string): Promise<string | null> {
  const row = await storeOp('blockPreview.lastCenter', () =>
    db
      .selectFrom('registrations')
      .select('center_id')
      .where('person_id', '=', personId)
      .orderBy('starts_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  return row?.center_id ?? null;
}

/** The audit record of the block itself (rule 4's system entry): how many no-shows set it. */
export async function blockRecord(db: Executor, personId: string) {
  const row = await storeOp('blockPreview.record', () =>
    db
      .selectFrom('audit_log')
      .select(['at', 'details', 'center_id'])
      .where('action', '=', 'person.blocked')
      .where('subject_kind', '=', 'person')
      .where('subject_id', '=', personId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  if (!row) return null;
  const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<
    string,
    unknown
  >;
  return { noShows: typeof details.noShows === 'number' ? details.noShows : null };
}
