import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import type { AlertSource } from './hall-schema.js';
import './hall-schema.js';

/**
 * SQL of the hall: calling, alerts, the martial-law switch and the terminal's claims. Every
 * function takes the caller's transaction; every claim is one conditional statement.
 */

export async function isMartialLaw(db: Executor): Promise<boolean> {
  const row = await storeOp('settings.martialLaw', () =>
    db.selectFrom('settings').select('value').where('key', '=', 'martial_law').executeTakeFirst(),
  );
  // Absent setting = in force (SPEC 3.5c default).
  return row ? row.value !== false : true;
}

export async function setMartialLaw(db: Executor, active: boolean, now: Date, by: string | null) {
  await storeOp('settings.setMartialLaw', () =>
    db
      .insertInto('settings')
      .values({ key: 'martial_law', value: JSON.stringify(active), updated_at: now, updated_by: by })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ value: JSON.stringify(active), updated_at: now, updated_by: by }),
      )
      .execute(),
  );
}

/** Terminal slots of a group today that still have a place and have not ended, earliest first. */
export async function openTerminalSlots(
  db: Executor,
  centerId: string,
  groupId: string,
  day: string,
  now: Date,
) {
  return storeOp('terminal.openSlots', () =>
    db
      .selectFrom('slots')
      .select(['id', 'starts_at', 'ends_at'])
      .where('center_id', '=', centerId)
      .where('group_id', '=', groupId)
      .where('day', '=', day)
      .where('pool', '=', 'terminal')
      .where('ends_at', '>', now)
      .where(sql<boolean>`booked < capacity`)
      .orderBy('starts_at')
      .execute(),
  );
}

export async function centerExists(db: Executor, centerId: string): Promise<boolean> {
  const row = await storeOp('center.exists', () =>
    db.selectFrom('centers').select('id').where('id', '=', centerId).executeTakeFirst(),
  );
  return row !== undefined;
}

/** A service and the center's name, or undefined when either is unknown (the kiosk's facts). */
export async function serviceAtCenter(db: Executor, centerId: string, serviceId: string) {
  return storeOp('terminal.service', () =>
    db
      .selectFrom('services')
      .innerJoin('centers', (j) => j.on('centers.id', '=', centerId))
      .select(['services.id', 'services.name', 'services.group_id', 'centers.name as center_name'])
      .where('services.id', '=', serviceId)
      .executeTakeFirst(),
  );
}

/** The numbers of a center's active desks serving a group (where a kiosk visitor will be called). */
export async function desksServing(db: Executor, centerId: string, groupId: string) {
  return storeOp('terminal.desks', () =>
    db
      .selectFrom('desks')
      .select('number')
      .where('center_id', '=', centerId)
      .where('active', '=', true)
      .where(({ eb, val }) => eb(val(groupId), '=', eb.fn.any('group_ids')))
      .orderBy('number')
      .execute(),
  );
}

/** Rule 5: the person's one priority registration per working day and service. */
export async function claimPriority(
  db: Executor,
  c: { personId: string; serviceId: string; day: string; registrationId: string },
): Promise<boolean> {
  return storeOp('priority.claim', async () => {
    const row = await db
      .insertInto('priority_claims')
      .values({
        person_id: c.personId,
        service_id: c.serviceId,
        day: c.day,
        registration_id: c.registrationId,
      })
      .onConflict((oc) => oc.columns(['person_id', 'service_id', 'day']).doNothing())
      .returning('registration_id')
      .executeTakeFirst();
    return row !== undefined;
  });
}

export async function findDesk(db: Executor, deskId: string) {
  return storeOp('desk.find', () =>
    db
      .selectFrom('desks')
      .select(['id', 'center_id', 'number', 'group_ids', 'active'])
      .where('id', '=', deskId)
      .executeTakeFirst(),
  );
}

export async function openAlert(db: Executor, centerId: string) {
  return storeOp('alert.open', () =>
    db
      .selectFrom('alert_periods')
      .select(['id', 'started_at', 'source'])
      .where('center_id', '=', centerId)
      .where('ended_at', 'is', null)
      .executeTakeFirst(),
  );
}

/** Opens an alert period unless one is open (the partial unique index makes this atomic). */
export async function startAlert(
  db: Executor,
  a: { centerId: string; now: Date; source: AlertSource; by: string | null },
): Promise<{ started_at: Date } | undefined> {
  return storeOp('alert.start', async () => {
    const { rows } = await sql<{ started_at: Date }>`
      INSERT INTO alert_periods (center_id, started_at, source, started_by)
      VALUES (${a.centerId}, ${a.now}, ${a.source}, ${a.by})
      ON CONFLICT (center_id) WHERE ended_at IS NULL DO NOTHING
      RETURNING started_at`.execute(db);
    return rows[0];
  });
}

/** Closes the open alert period (only one caller wins; `source` limits which kind it may close). */
export async function endAlert(
  db: Executor,
  a: { centerId: string; now: Date; by: string | null; source?: AlertSource },
): Promise<{ started_at: Date; ended_at: Date } | undefined> {
  return storeOp(
    'alert.end',
    () =>
      db
        .updateTable('alert_periods')
        .set({ ended_at: sql`greatest(started_at, ${a.now}::timestamptz)`, ended_by: a.by })
        .where('center_id', '=', a.centerId)
        .where('ended_at', 'is', null)
        .$if(a.source !== undefined, (q) => q.where('source', '=', a.source as AlertSource))
        .returning(['started_at', 'ended_at'])
        .executeTakeFirst() as Promise<{ started_at: Date; ended_at: Date } | undefined>,
  );
}

/**
 * Rule 7, after the all-clear: every ticket of the day still waiting moves on by the pause (so
 * the order is unchanged and calling resumes where it stopped), and a ticket whose time fell
 * inside the alert is excused from the no-show rule. One statement; returns who to notify.
 */
export async function shiftWaiting(
  db: Executor,
  s: { centerId: string; day: string; start: Date; end: Date; now: Date },
) {
  return storeOp('alert.shiftWaiting', async () => {
    const pauseMs = s.end.getTime() - s.start.getTime();
    const { rows } = await sql<{
      id: string;
      call_at: Date;
      email: string | null;
      lang: string;
      number: number | null;
    }>`
      UPDATE registrations r
      SET call_at = r.call_at + (${pauseMs} * interval '1 millisecond'),
          alert_excused = r.alert_excused OR (r.call_at BETWEEN ${s.start} AND ${s.end}),
          updated_at = ${s.now}
      FROM persons p
      WHERE p.id = r.person_id AND r.center_id = ${s.centerId} AND r.day = ${s.day}
        AND r.status IN ('booked', 'arrived')
      -- A kiosk visitor's contact is kept with the registration, not in the person's file.
      RETURNING r.id, r.call_at, coalesce(r.contact_email, p.email) AS email, p.lang, r.number`.execute(db);
    return rows;
  });
}

/** Alerts whose region is given: centers by `alert_region`, else by `region`. */
export async function centersWithRegions(db: Executor) {
  return storeOp('alert.centers', () =>
    db
      .selectFrom('centers')
      .select(['id', sql<string>`coalesce(alert_region, region)`.as('region')])
      .execute(),
  );
}

/**
 * Rule 6, which ticket a desk calls: the first due ticket of the desk's groups in calling order
 * (priority, call time, creation time), locked with FOR UPDATE SKIP LOCKED so that two desks
 * calling at once never get the same ticket. An idle desk (nothing called at it now) may call a
 * terminal ticket ahead of its time. Mirrors `nextTicket` in queue-rules. The call itself is the
 * `call` event of registration-store, in the same statement.
 */
export function nextDueTicket(c: {
  centerId: string;
  deskId: string;
  groups: string[];
  day: string;
  now: Date;
}) {
  return sql<{ id: string }>`
    SELECT r.id FROM registrations r
    WHERE r.center_id = ${c.centerId} AND r.day = ${c.day}::date AND r.status IN ('booked', 'arrived')
      AND r.parked_at IS NULL AND r.group_id = ANY(${c.groups}::text[])
      AND (r.call_at <= ${c.now} OR (r.channel = 'terminal' AND NOT EXISTS (
        SELECT 1 FROM registrations d WHERE d.desk_id = ${c.deskId} AND d.day = ${c.day}::date AND d.status = 'called')))
    ORDER BY (r.priority_category IS NULL), r.call_at, r.created_at, r.id
    LIMIT 1
    FOR UPDATE OF r SKIP LOCKED`;
}

/**
 * Today's waiting tickets of a desk's groups in calling order (priority, call time, creation):
 * what the operator sees next. Numbers and times only, no personal data.
 */
export async function waitingForDesk(db: Executor, c: { centerId: string; groups: string[]; day: string }) {
  return storeOp('queue.waitingForDesk', async () => {
    const { rows } = await sql<{
      id: string;
      number: number | null;
      group_id: string;
      service_name: string;
      channel: string;
      priority_category: string | null;
      call_at: Date;
      parked_at: Date | null;
      arrived_at: Date | null;
    }>`
      SELECT r.id, r.number, r.group_id, s.name AS service_name, r.channel, r.priority_category, r.call_at,
             r.parked_at, r.arrived_at
      FROM registrations r JOIN services s ON s.id = r.service_id
      WHERE r.center_id = ${c.centerId} AND r.day = ${c.day} AND r.status IN ('booked', 'arrived')
        AND r.group_id = ANY(${c.groups}::text[])
      ORDER BY (r.parked_at IS NOT NULL), (r.priority_category IS NULL), r.call_at, r.created_at, r.id
      LIMIT 200`.execute(db);
    return rows;
  });
}

/** A registration as the operator sees it: the person's data to compare with the document. */
export async function findForDesk(db: Executor, id: string) {
  return storeOp('registration.findForDesk', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .innerJoin('services as s', 's.id', 'r.service_id')
      .leftJoin('desks as d', 'd.id', 'r.desk_id')
      .leftJoin('legal_entities as le', 'le.edrpou', 'r.legal_entity')
      .select([
        'r.id',
        'r.center_id',
        'r.service_id',
        'r.group_id',
        'r.person_id',
        'r.channel',
        'r.status',
        'r.day',
        'r.number',
        'r.priority_category',
        'r.priority_doc_type',
        'r.priority_doc_enc',
        'r.call_at',
        'r.starts_at',
        'r.called_at',
        'r.call_count',
        'r.parked_at',
        'r.desk_id',
        'r.alert_excused',
        'r.legal_entity',
        'r.created_at',
        'd.number as desk_number',
        's.name as service_name',
        'le.name as legal_entity_name',
        'p.last_name',
        'p.first_name',
        'p.middle_name',
        'p.id_kind',
        'p.id_enc',
        // A kiosk visitor's contact is kept with the registration, not in the person's file.
        sql<string | null>`coalesce(r.contact_email, p.email)`.as('email'),
        sql<string | null>`coalesce(r.contact_phone, p.phone)`.as('phone'),
        'p.lang',
      ])
      .where('r.id', '=', id)
      .executeTakeFirst(),
  );
}

export async function forUpdate(db: Executor, id: string) {
  return storeOp('registration.lock', () =>
    db
      .selectFrom('registrations')
      .select(['id', 'status'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),
  );
}

/** Rule 6: a parked ticket goes back into the queue at its place (its status does not change). */
export async function unpark(db: Executor, id: string, now: Date): Promise<boolean> {
  return storeOp('registration.unpark', async () => {
    const row = await db
      .updateTable('registrations')
      .set({ parked_at: null, desk_id: null, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['booked', 'arrived'])
      .where('parked_at', 'is not', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  });
}

export async function groupExists(db: Executor, groupId: string): Promise<boolean> {
  const row = await db.selectFrom('service_groups').select('id').where('id', '=', groupId).executeTakeFirst();
  return row !== undefined;
}

/**
 * Rule 6, the desk on the server: today's tickets called to a desk (newest call first) and those
 * parked at it (park keeps `desk_id`; returning to the queue clears it).
 */
export async function deskTickets(db: Executor, deskId: string, day: string) {
  return storeOp('desk.tickets', async () => {
    const { rows } = await sql<{
      id: string;
      status: string;
      number: number | null;
      service_name: string;
      priority_category: string | null;
      called_at: Date | null;
      parked_at: Date | null;
      call_count: number;
    }>`
      SELECT r.id, r.status, r.number, s.name AS service_name, r.priority_category, r.called_at, r.parked_at,
             r.call_count
      FROM registrations r JOIN services s ON s.id = r.service_id
      WHERE r.desk_id = ${deskId} AND r.day = ${day}::date
        AND (r.status = 'called' OR (r.status IN ('booked', 'arrived') AND r.parked_at IS NOT NULL))
      ORDER BY r.called_at DESC NULLS LAST, r.parked_at, r.id
      LIMIT 100`.execute(db);
    return rows;
  });
}

/** Today's queue of a desk's groups: waiting (not parked), due among them, and parked. */
export async function deskCounts(
  db: Executor,
  c: { centerId: string; groups: string[]; day: string; now: Date },
) {
  return storeOp('desk.counts', async () => {
    const { rows } = await sql<{ waiting: number; due: number; parked: number }>`
      SELECT count(*) FILTER (WHERE r.parked_at IS NULL)::int AS waiting,
             count(*) FILTER (WHERE r.parked_at IS NULL AND r.call_at <= ${c.now})::int AS due,
             count(*) FILTER (WHERE r.parked_at IS NOT NULL)::int AS parked
      FROM registrations r
      WHERE r.center_id = ${c.centerId} AND r.day = ${c.day}::date AND r.status IN ('booked', 'arrived')
        AND r.group_id = ANY(${c.groups}::text[])`.execute(db);
    return rows[0] ?? { waiting: 0, due: 0, parked: 0 };
  });
}

/** What the workstation's header names: the center, the desk's groups and the staff member. */
export async function deskHeader(
  db: Executor,
  d: { centerId: string; groups: string[]; staffId: string | null },
) {
  return storeOp('desk.header', async () => {
    const [center, groups, staff] = await Promise.all([
      db.selectFrom('centers').select(['id', 'name']).where('id', '=', d.centerId).executeTakeFirst(),
      d.groups.length
        ? db.selectFrom('service_groups').select(['id', 'name']).where('id', 'in', d.groups).execute()
        : Promise.resolve([]),
      d.staffId
        ? db.selectFrom('staff').select(['full_name', 'role']).where('id', '=', d.staffId).executeTakeFirst()
        : Promise.resolve(undefined),
    ]);
    return { center, groups, staff };
  });
}
