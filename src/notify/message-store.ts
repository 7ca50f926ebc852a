import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { PriorityCategory, RegistrationStatus } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';

/**
 * What a message says is read from the database when it is sent, not when it is enqueued: the
 * payload carries ids only (no personal data in the outbox), and a message reflects the
 * current state (a cancelled registration gets no reminder).
 */
export interface RegistrationView {
  id: string;
  number: number | null;
  channel: 'online' | 'terminal';
  status: RegistrationStatus;
  day: string;
  startsAt: Date;
  endsAt: Date | null;
  callAt: Date;
  priority: PriorityCategory | null;
  deskId: string | null;
  centerId: string;
  centerName: string;
  centerAddress: string;
  serviceName: string;
  documents: string[];
  price: string | null;
  /** The legal entity the registration is for (SPEC §2), if any: its name and ЄДРПОУ. */
  legalEntity?: { edrpou: string; name: string } | null;
  person: PersonView;
}

export interface PersonView {
  id: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  email: string | null;
  phone: string | null;
  lang: string;
}

export async function loadRegistration(db: Executor, id: string): Promise<RegistrationView | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await storeOp('notify.loadRegistration', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('centers as c', 'c.id', 'r.center_id')
      .innerJoin('services as s', 's.id', 'r.service_id')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .leftJoin('slots as sl', 'sl.id', 'r.slot_id')
      .leftJoin('legal_entities as le', 'le.edrpou', 'r.legal_entity')
      .select([
        'r.legal_entity',
        'le.name as legal_entity_name',
        'r.id',
        'r.number',
        'r.channel',
        'r.status',
        'r.day',
        'r.starts_at',
        'r.call_at',
        'r.priority_category',
        'r.desk_id',
        'sl.ends_at',
        'c.id as center_id',
        'c.name as center_name',
        'c.address as center_address',
        's.name as service_name',
        's.documents',
        's.price',
        'p.id as person_id',
        'p.last_name',
        'p.first_name',
        'p.middle_name',
        // A kiosk registration's messages go to the contact typed for it, never the person's file.
        sql<string | null>`coalesce(r.contact_email, p.email)`.as('email'),
        sql<string | null>`coalesce(r.contact_phone, p.phone)`.as('phone'),
        'p.lang',
      ])
      .where('r.id', '=', id)
      .executeTakeFirst(),
  );
  if (!r) return undefined;
  return {
    id: r.id,
    number: r.number,
    channel: r.channel,
    status: r.status,
    day: r.day,
    startsAt: new Date(r.starts_at),
    endsAt: r.ends_at ? new Date(r.ends_at) : null,
    callAt: new Date(r.call_at),
    priority: r.priority_category,
    deskId: r.desk_id,
    centerId: r.center_id,
    centerName: r.center_name,
    centerAddress: r.center_address,
    serviceName: r.service_name,
    documents: r.documents ?? [],
    price: r.price,
    legalEntity: r.legal_entity
      ? { edrpou: r.legal_entity, name: r.legal_entity_name ?? r.legal_entity }
      : null,
    person: {
      id: r.person_id,
      lastName: r.last_name,
      firstName: r.first_name,
      middleName: r.middle_name,
      email: r.email,
      phone: r.phone,
      lang: r.lang,
    },
  };
}

export async function loadPerson(db: Executor, id: string): Promise<PersonView | undefined> {
  if (!isUuid(id)) return undefined;
  const p = await db
    .selectFrom('persons')
    .select(['id', 'last_name', 'first_name', 'middle_name', 'email', 'phone', 'lang'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    p && {
      id: p.id,
      lastName: p.last_name,
      firstName: p.first_name,
      middleName: p.middle_name,
      email: p.email,
      phone: p.phone,
      lang: p.lang,
    }
  );
}

export async function loadCenter(db: Executor, id: string) {
  return db.selectFrom('centers').select(['id', 'name', 'address']).where('id', '=', id).executeTakeFirst();
}

export async function loadServiceName(db: Executor, id: string) {
  const s = await db.selectFrom('services').select('name').where('id', '=', id).executeTakeFirst();
  return s?.name;
}

export function isUuid(value: unknown): value is string {
  return (
    typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}
