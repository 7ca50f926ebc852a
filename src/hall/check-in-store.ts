import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import './hall-schema.js';

/** SQL of the arrival check-in (rule 13) and of a person's live position. */

const columns = [
  'r.id',
  'r.center_id',
  'r.group_id',
  'r.channel',
  'r.status',
  'r.day',
  'r.number',
  'r.person_id',
  'r.call_at',
  'r.arrived_at',
  'p.last_name',
] as const;

/** A registration (with its person's surname) by id. */
export async function registrationForCheckIn(db: Executor, id: string) {
  return storeOp('checkIn.byId', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .select(columns)
      .where('r.id', '=', id)
      .executeTakeFirst(),
  );
}

/** The online registration of a center and day with a ticket number (numbers are per center and day). */
export async function registrationByNumber(db: Executor, centerId: string, day: string, number: number) {
  return storeOp('checkIn.byNumber', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .select(columns)
      .where('r.center_id', '=', centerId)
      .where('r.day', '=', day)
      .where('r.number', '=', number)
      .where('r.channel', '=', 'online')
      .where('r.priority_category', 'is', null)
      .executeTakeFirst(),
  );
}

/** A person's registration (owner check in SQL): the fields the live position needs. */
export async function ownRegistration(db: Executor, personId: string, id: string) {
  return storeOp('checkIn.own', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .select(columns)
      .where('r.id', '=', id)
      .where('r.person_id', '=', personId)
      .executeTakeFirst(),
  );
}

/** The check-in facts of some of a person's registrations (for "my registrations"). */
export async function arrivalsOf(db: Executor, personId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return storeOp('checkIn.arrivals', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .select(columns)
      .where('r.person_id', '=', personId)
      .where('r.id', 'in', [...ids])
      .execute(),
  );
}
