import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { Channel, PriorityCategory, RegistrationStatus } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';
import { ticketNumber } from './claim-store.js';
import { BACK_TO_QUEUE, EVENTS, type RegistrationEvent } from './registration-states.js';

/**
 * The one writer of `registrations.status`. `transition` performs an event of the lifecycle
 * table as ONE conditional UPDATE: only from the event's from-states, only when its guard holds,
 * both in SQL, so a concurrent change or a forged request simply matches no row. The caller
 * answers INVALID_STATE when nothing moved. Migration 0009's trigger refuses any other change.
 */

/** Which registration(s): one id, several ids, or a query choosing one (e.g. the next ticket). */
export type Target = { id: string } | { ids: readonly string[] } | { pick: RawBuilder<{ id: string }> };

interface DeskActor {
  /** The desk of the operator's session, if the session names one. */
  deskId: string | null;
  staffId: string | null;
}

interface NewPlace {
  slotId: number;
  centerId: string;
  groupId: string;
  day: string;
  startsAt: Date;
}

/** What each event's guard and values need, besides `now`. */
export interface EventInput {
  draw_won: { slotId: number; centerId: string; day: string; startsAt: Date };
  draw_lost: Record<string, never>;
  withdraw: { personId: string };
  /** The place's center and day: accepting takes the ticket number there. */
  offer_accepted: { personId: string; centerId: string; day: string };
  /** `personId` null: the hold expired (system); else the waiter declines. */
  offer_released: { personId: string | null };
  check_in: { today: string };
  call: { today: string; deskId: string; staffId: string | null };
  recall: { today: string; staffId: string | null; callsBeforeNoShow: number };
  park: Record<string, never>;
  transfer: { groupId: string };
  serve: DeskActor & { examPassed: boolean | null };
  refuse: DeskActor;
  mark_no_show: { today: string; staffId: string | null; callsBeforeNoShow: number };
  /** The owner before the deadline, or (`conflictId`) the center head for an open capacity conflict. */
  cancel: { personId: string; cancelBeforeMinutes: number } | { conflictId: number };
  /**
   * The owner's own move, or (`conflictId`) the owner accepting the center's offer for an open
   * capacity conflict (rule 8): no deadline of the old time (nobody serves it), not counted.
   */
  move:
    | { personId: string; cancelBeforeMinutes: number; maxMoves: number; place: NewPlace }
    | { personId: string; conflictId: number; place: NewPlace };
}

export interface Moved {
  id: string;
  status: RegistrationStatus;
  person_id: string;
  center_id: string;
  channel: Channel;
  slot_id: number | null;
  day: string;
  starts_at: Date;
  number: number | null;
  desk_id: string | null;
  call_count: number;
  called_at: Date | null;
  alert_excused: boolean;
}

type Parts = { set: RawBuilder<unknown>[]; guard: RawBuilder<unknown>[]; ticket?: RawBuilder<unknown> };

const ownDesk = (a: DeskActor) =>
  sql`r.desk_id IS NOT NULL AND (r.desk_id = ${a.deskId}::text OR r.called_by = ${a.staffId}::text)`;
const beforeDeadline = (now: Date, minutes: number) =>
  sql`r.starts_at >= ${now}::timestamptz + ${minutes} * interval '1 minute'`;
/** Rule 8: the registration has this capacity conflict, still open (the head's actions need one). */
const openConflict = (conflictId: number) =>
  sql`EXISTS (SELECT 1 FROM capacity_conflicts c WHERE c.id = ${conflictId}::bigint
    AND c.registration_id = r.id AND c.resolved_at IS NULL)`;
const outcome = (now: Date, by: string | null) => [
  sql`outcome_at = ${now}`,
  sql`outcome_by = ${by}::text`,
  sql`parked_at = NULL`,
];

/** The guard and the columns each event sets (the status and `updated_at` are set for all). */
function partsOf<E extends RegistrationEvent>(event: E, input: EventInput[E], now: Date): Parts {
  switch (event) {
    case 'draw_won': {
      const i = input as EventInput['draw_won'];
      return {
        set: [
          sql`slot_id = ${i.slotId}`,
          sql`starts_at = ${i.startsAt}`,
          sql`call_at = ${i.startsAt}`,
          sql`number = num.last`,
        ],
        guard: [],
        ticket: ticketNumber(i.centerId, i.day, 'regular'),
      };
    }
    case 'withdraw':
      return {
        set: [sql`cancelled_at = ${now}`],
        guard: [sql`r.person_id = ${(input as EventInput['withdraw']).personId}::uuid`],
      };
    case 'offer_accepted': {
      const i = input as EventInput['offer_accepted'];
      return {
        set: [sql`held_until = NULL`, sql`number = num.last`],
        guard: [sql`r.person_id = ${i.personId}::uuid`, sql`r.held_until > ${now}`],
        ticket: ticketNumber(i.centerId, i.day, 'regular'),
      };
    }
    case 'offer_released': {
      const personId = (input as EventInput['offer_released']).personId;
      return {
        set: [sql`held_until = NULL`],
        guard: [personId === null ? sql`r.held_until <= ${now}` : sql`r.person_id = ${personId}::uuid`],
      };
    }
    case 'check_in':
      return {
        set: [sql`arrived_at = ${now}`],
        guard: [sql`r.channel = 'online'`, sql`r.day = ${(input as EventInput['check_in']).today}::date`],
      };
    case 'call': {
      const i = input as EventInput['call'];
      return {
        set: [
          sql`desk_id = ${i.deskId}`,
          sql`called_at = ${now}`,
          sql`call_count = r.call_count + 1`,
          sql`called_by = ${i.staffId}::text`,
        ],
        guard: [sql`r.day = ${i.today}::date`],
      };
    }
    case 'recall': {
      const i = input as EventInput['recall'];
      return {
        set: [
          sql`called_at = ${now}`,
          sql`call_count = r.call_count + 1`,
          sql`called_by = ${i.staffId}::text`,
        ],
        guard: [sql`r.day = ${i.today}::date`, sql`r.call_count < ${i.callsBeforeNoShow}`],
      };
    }
    case 'park':
      return { set: [sql`parked_at = ${now}`], guard: [] };
    case 'transfer':
      return {
        set: [
          sql`group_id = ${(input as EventInput['transfer']).groupId}`,
          sql`desk_id = NULL`,
          sql`called_at = NULL`,
          sql`called_by = NULL`,
          sql`call_count = 0`,
          sql`parked_at = NULL`,
        ],
        guard: [],
      };
    case 'serve': {
      const i = input as EventInput['serve'];
      return {
        set: [...outcome(now, i.staffId), sql`exam_passed = ${i.examPassed}::boolean`],
        guard: [ownDesk(i)],
      };
    }
    case 'refuse': {
      const i = input as EventInput['refuse'];
      return { set: [...outcome(now, i.staffId), sql`exam_passed = NULL`], guard: [ownDesk(i)] };
    }
    case 'mark_no_show': {
      const i = input as EventInput['mark_no_show'];
      return {
        set: [...outcome(now, i.staffId), sql`exam_passed = NULL`],
        guard: [sql`r.day = ${i.today}::date`, sql`r.call_count >= ${i.callsBeforeNoShow}`],
      };
    }
    case 'cancel': {
      const i = input as EventInput['cancel'];
      if ('conflictId' in i)
        return { set: [sql`cancelled_at = ${now}`], guard: [openConflict(i.conflictId)] };
      return {
        set: [sql`cancelled_at = ${now}`],
        guard: [
          sql`r.person_id = ${i.personId}::uuid`,
          sql`r.channel = 'online'`,
          beforeDeadline(now, i.cancelBeforeMinutes),
        ],
      };
    }
    case 'move': {
      const i = input as EventInput['move'];
      return {
        set: [
          sql`slot_id = ${i.place.slotId}`,
          sql`center_id = ${i.place.centerId}`,
          sql`group_id = ${i.place.groupId}`,
          sql`day = ${i.place.day}::date`,
          sql`starts_at = ${i.place.startsAt}`,
          sql`call_at = ${i.place.startsAt}`,
          sql`number = num.last`,
          ...('conflictId' in i ? [] : [sql`move_count = r.move_count + 1`]),
        ],
        guard:
          'conflictId' in i
            ? [sql`r.person_id = ${i.personId}::uuid`, sql`r.channel = 'online'`, openConflict(i.conflictId)]
            : [
                sql`r.person_id = ${i.personId}::uuid`,
                sql`r.channel = 'online'`,
                beforeDeadline(now, i.cancelBeforeMinutes),
                sql`r.move_count < ${i.maxMoves}`,
              ],
        ticket: ticketNumber(i.place.centerId, i.place.day, 'regular'),
      };
    }
    default:
      return { set: [], guard: [] };
  }
}

function targetQuery(target: Target): RawBuilder<unknown> {
  if ('id' in target) return sql`SELECT ${target.id}::uuid AS id`;
  if ('ids' in target) return sql`SELECT unnest(${[...target.ids]}::uuid[]) AS id`;
  return target.pick;
}

/**
 * Performs `event` on the target registration(s): one statement; returns the rows that moved
 * (none when the state or the guard did not allow it).
 */
export async function transition<E extends RegistrationEvent>(
  db: Executor,
  event: E,
  target: Target,
  input: EventInput[E],
  now: Date,
): Promise<Moved[]> {
  const spec = EVENTS[event];
  const parts = partsOf(event, input, now);
  const to =
    spec.to === BACK_TO_QUEUE
      ? sql`CASE WHEN r.arrived_at IS NULL THEN 'booked' ELSE 'arrived' END`
      : sql`${spec.to}::text`;
  const withTicket = parts.ticket ? sql`, num AS (${parts.ticket})` : sql``;
  const fromNum = parts.ticket ? sql`, num` : sql``;
  const guard = parts.guard.length ? sql` AND ${sql.join(parts.guard, sql` AND `)}` : sql``;
  return storeOp(`registration.${event}`, async () => {
    const { rows } = await sql<Moved>`
      WITH target AS (${targetQuery(target)})${withTicket}
      UPDATE registrations r
      SET ${sql.join([sql`status = ${to}`, sql`updated_at = ${now}`, ...parts.set])}
      FROM target${fromNum}
      WHERE r.id = target.id AND r.status = ANY(${[...spec.from]}::text[])${guard}
      RETURNING r.id, r.status, r.person_id, r.center_id, r.channel, r.slot_id, r.day, r.starts_at, r.number,
        r.desk_id, r.call_count, r.called_at, r.alert_excused`.execute(db);
    return rows;
  });
}

/** `transition` for one registration: the moved row, or undefined. */
export async function transitionOne<E extends RegistrationEvent>(
  db: Executor,
  event: E,
  id: string,
  input: EventInput[E],
  now: Date,
): Promise<Moved | undefined> {
  return (await transition(db, event, { id }, input, now))[0];
}

/**
 * `transition('draw_lost')` for a drawn day's losers at the given centers, once its winners have
 * moved: every registration still pending there that day is a losing entry of that day's draw
 * (pending is the state of an undrawn entry and nothing else). Found through the hall index and
 * written in the table's order, not looked up one id at a time (#19: a second less for the
 * national draw's 185,000). The same from-states as the event; the trigger checks every row.
 * Returns how many moved.
 */
export async function transitionDrawLost(
  db: Executor,
  day: string,
  centerIds: readonly string[],
  now: Date,
): Promise<number> {
  const { from, to } = EVENTS.draw_lost;
  return storeOp('registration.draw_lost', async () => {
    const result = await sql`
      UPDATE registrations r SET status = ${to}::text, updated_at = ${now}
      WHERE r.day = ${day}::date AND r.center_id = ANY(${[...centerIds]}::text[])
        AND r.status = ANY(${[...from]}::text[])`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  });
}

export interface DrawWin {
  id: string;
  slotId: number;
  centerId: string;
  startsAt: Date;
}

/**
 * `transition('draw_won')` for many entries at once, each with its own place (the release
 * lottery's draw: one statement per 10,000 winners instead of one per winner): pending → booked
 * with the won place and the next ticket numbers of its center, in the order given (the draw's).
 * The same from-states in SQL as the event, and migration 0009's trigger checks every row.
 * Returns how many moved.
 */
export async function transitionDrawWon(
  db: Executor,
  day: string,
  wins: readonly DrawWin[],
  now: Date,
): Promise<number> {
  const { from, to } = EVENTS.draw_won;
  let moved = 0;
  for (let i = 0; i < wins.length; i += 10_000) {
    const chunk = wins.slice(i, i + 10_000);
    const seen = new Map<string, number>();
    const rank = chunk.map((w) => {
      const r = (seen.get(w.centerId) ?? 0) + 1;
      seen.set(w.centerId, r);
      return r;
    });
    const { rows } = await storeOp('registration.draw_won', () =>
      sql<{ id: string }>`
        WITH n AS (
          SELECT * FROM unnest(${[...seen.keys()]}::text[], ${[...seen.values()]}::int[]) AS n(center_id, cnt)
        ),
        num AS (
          INSERT INTO ticket_counters AS t (center_id, day, sequence, last)
          SELECT center_id, ${day}::date, 'regular', 999 + cnt FROM n ORDER BY center_id
          ON CONFLICT (center_id, day, sequence) DO UPDATE SET last = t.last + excluded.last - 999
          RETURNING t.center_id, t.last
        ),
        v AS (
          SELECT * FROM unnest(${chunk.map((w) => w.id)}::uuid[], ${chunk.map((w) => w.slotId)}::bigint[],
            ${chunk.map((w) => w.centerId)}::text[], ${chunk.map((w) => w.startsAt.toISOString())}::timestamptz[],
            ${rank}::int[]) AS v(id, slot_id, center_id, starts_at, rank)
        )
        UPDATE registrations r
        SET status = ${to}::text, updated_at = ${now}, slot_id = v.slot_id, starts_at = v.starts_at,
          call_at = v.starts_at, number = num.last - n.cnt + v.rank
        FROM v JOIN n ON n.center_id = v.center_id JOIN num ON num.center_id = v.center_id
        WHERE r.id = v.id AND r.status = ANY(${[...from]}::text[])
        RETURNING r.id`.execute(db),
    );
    moved += rows.length;
  }
  return moved;
}

/** The states a registration starts in: an entry of a draw, an offer held for a waiter, a place. */
export type InitialStatus = 'pending' | 'offered' | 'booked';

export interface NewRegistration {
  id: string;
  centerId: string;
  serviceId: string;
  groupId: string;
  slotId: number | null;
  personId: string;
  legalEntity: string | null;
  channel: Channel;
  status: InitialStatus;
  day: string;
  startsAt: Date;
  callAt: Date;
  priority?: { category: PriorityCategory; docType: string; docEnc: string; docHash: string } | null;
  heldUntil?: Date | null;
  /** The vehicle category of a practical exam (SPEC §2 Exams). */
  examCategory?: string | null;
  now: Date;
}

/**
 * The INSERT of a new registration as a fragment. `numberFrom` names a CTE holding the ticket
 * number (`ticketNumber`, column `last`): the row is inserted only if that CTE has a row.
 * RETURNING id, number.
 */
export function registrationInsert(
  r: NewRegistration,
  numberFrom: string | null,
  /** Insert nothing (no row returned) when a unique rule, e.g. one active per day, refuses it. */
  skipConflict = false,
): RawBuilder<{ id: string; number: number | null }> {
  return sql<{ id: string; number: number | null }>`
    INSERT INTO registrations (id, center_id, service_id, group_id, slot_id, person_id, legal_entity, channel,
      status, day, starts_at, call_at, number, priority_category, priority_doc_type, priority_doc_enc,
      priority_doc_hash, held_until, exam_category, created_at, updated_at)
    SELECT ${r.id}::uuid, ${r.centerId}, ${r.serviceId}, ${r.groupId}, ${r.slotId}::bigint, ${r.personId}::uuid,
      ${r.legalEntity}::text, ${r.channel}, ${r.status}::text, ${r.day}::date, ${r.startsAt}::timestamptz,
      ${r.callAt}::timestamptz, ${numberFrom ? sql`${sql.id(numberFrom)}.last` : sql`NULL::int`},
      ${r.priority?.category ?? null}::text, ${r.priority?.docType ?? null}::text,
      ${r.priority?.docEnc ?? null}::text, ${r.priority?.docHash ?? null}::text,
      ${r.heldUntil ?? null}::timestamptz, ${r.examCategory ?? null}::text, ${r.now}::timestamptz, ${r.now}::timestamptz
    ${numberFrom ? sql`FROM ${sql.id(numberFrom)}` : sql``}
    ${skipConflict ? sql`ON CONFLICT DO NOTHING` : sql``}
    RETURNING id, number`;
}

/**
 * The INSERT of the pending registrations of lottery entries written together (the batched form
 * of `registrationInsert` for fairness/lottery-entries-store): one row per row of the CTE named,
 * which has the columns id, center_id, service_id, group_id, person_id, legal_entity, day,
 * starts_at, exam_category and made_at. Online, no slot and no number until the draw.
 */
export function pendingEntryRegistrations(from: string): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`
    INSERT INTO registrations (id, center_id, service_id, group_id, slot_id, person_id, legal_entity, channel,
      status, day, starts_at, call_at, number, exam_category, created_at, updated_at)
    SELECT e.id, e.center_id, e.service_id, e.group_id, NULL, e.person_id, e.legal_entity, 'online',
      'pending', e.day, e.starts_at, e.starts_at, NULL, e.exam_category, e.made_at, e.made_at
    FROM ${sql.id(from)} e
    RETURNING id`;
}

/**
 * Inserts a registration; `numbered` takes its ticket number (regular from 1000, priority from
 * 1, per center and day) in the same statement (the counter row is locked only until commit).
 */
export async function insertRegistration(
  db: Executor,
  r: NewRegistration & { numbered: boolean },
): Promise<{ number: number | null }> {
  return storeOp('registration.insert', async () => {
    const sequence = r.priority ? 'priority' : 'regular';
    const { rows } = r.numbered
      ? await sql<{ number: number | null }>`
          WITH num AS (${ticketNumber(r.centerId, r.day, sequence)})
          ${registrationInsert(r, 'num')}`.execute(db)
      : await registrationInsert(r, null).execute(db);
    return { number: rows[0]?.number ?? null };
  });
}
