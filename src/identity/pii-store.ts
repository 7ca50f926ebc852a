import type { Executor } from '../platform/db.js';

/** A registration's person and priority document, still encrypted. */
export async function registrationIdentity(db: Executor, registrationId: string) {
  return db
    .selectFrom('registrations')
    .innerJoin('persons', 'persons.id', 'registrations.person_id')
    .select([
      'registrations.id',
      'registrations.center_id',
      'registrations.status',
      'registrations.desk_id',
      'registrations.called_by',
      'persons.id as personId',
      'persons.id_kind',
      'persons.id_enc',
      'registrations.priority_doc_type',
      'registrations.priority_doc_enc',
    ])
    .where('registrations.id', '=', registrationId)
    .executeTakeFirst();
}
